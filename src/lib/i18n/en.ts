/**
 * English messages. Keys ending in `_one` / `_other` are i18next plural forms, chosen by
 * the `count` option.
 */
export const en = {
  app: {
    name: 'Brankas',
    tagline: 'Your digital locker',
    skipToContent: 'Skip to content',
    language: 'Language',
    loading: 'Loading…',
    mainNavigation: 'Main'
  },
  nav: {
    store: 'Store',
    library: 'My library',
    orders: 'Orders',
    admin: 'Admin',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {{email}}'
  },
  config: {
    title: 'Brankas is not configured',
    body: 'The app cannot reach its backend because these settings are missing or invalid:',
    fix: 'Set PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_ANON_KEY in the environment of the server that serves the app, then reload this page.'
  },
  signin: {
    title: 'Sign in',
    intro: 'Sign in to open your library and download what you bought.',
    methods: 'Sign-in method',
    magicTab: 'Email link',
    passwordTab: 'Password',
    email: 'Email address',
    password: 'Password',
    sendLink: 'Email me a sign-in link',
    sending: 'Sending…',
    linkSent: 'Check your inbox: we sent a sign-in link to {{email}}.',
    submit: 'Sign in',
    signingIn: 'Signing in…',
    passwordMissing: 'Enter your password, or use the email link instead.',
    or: 'or',
    linkHint: 'No password? We email you a link that signs you in.',
    errors: {
      invalid_credentials: 'The email or password is wrong. Check both and try again.',
      email_not_confirmed: 'Confirm your email address first: open the link we emailed you.',
      over_email_send_rate_limit:
        'Too many emails were sent to this address. Wait a minute and try again.',
      otp_disabled: 'There is no account with this email address.',
      validation_failed: 'Enter a valid email address.',
      generic: 'Signing in failed. Try again in a moment.'
    }
  },
  callback: {
    finishing: 'Finishing sign-in…',
    failed: 'The sign-in link did not work',
    expired: 'The link has expired or was already used. Request a new one.',
    backToSignIn: 'Back to sign in'
  },
  library: {
    title: 'My library',
    intro: 'Everything you bought, ready to download.',
    empty: 'Your library is empty.',
    browseStore: 'Browse the store',
    accessLifetime: 'Access for life',
    accessUntil: 'Access until {{date}}',
    accessExpired: 'Access expired on {{date}}',
    accessRevoked: 'Access revoked',
    accessRevokedReason: 'Access revoked: {{reason}}',
    accessSuspended: 'Access suspended while a payment dispute is open',
    accessPending: 'Waiting for the payment to be confirmed',
    limitReached: 'All downloads used',
    buyAgain: 'Buy again',
    buyAgainTitle: 'Buy {{title}} again',
    downloadsLeft_one: '{{count}} download left',
    downloadsLeft_other: '{{count}} downloads left',
    files: 'Files',
    fileName: 'File',
    fileFormat: 'Format',
    fileSize: 'Size',
    download: 'Download',
    downloadFile: 'Download {{name}}',
    preparing: 'Preparing…',
    noFiles: 'This product has no files yet.',
    refusals: {
      access_expired: 'Your access to this product has expired.',
      download_limit_reached: 'You have used all downloads for this product.',
      access_revoked: 'Your access to this product was revoked.',
      access_suspended: 'Downloads are paused while a payment dispute is open.',
      payment_pending: 'The payment for this product has not been confirmed yet.',
      not_purchased: 'This file is not part of anything you bought.',
      file_not_found: 'This file no longer exists.',
      generic: 'The download could not be started. Try again in a moment.'
    }
  },
  store: {
    title: 'Store',
    intro: 'Ebooks, templates and tools, delivered to your library.',
    empty: 'Nothing is for sale yet.',
    view: 'View {{title}}'
  },
  product: {
    back: 'Back to the store',
    price: 'Price',
    format: 'Format',
    totalSize: 'Total size',
    files_one: '{{count}} file',
    files_other: '{{count}} files',
    contents: 'Contents',
    systemRequirements: 'System requirements',
    access: 'Access',
    accessLifetime: 'For life',
    accessDays_one: '{{count}} day after purchase',
    accessDays_other: '{{count}} days after purchase',
    downloadLimit: 'Downloads',
    unlimited: 'Unlimited',
    downloadLimitCount_one: '{{count}} download',
    downloadLimitCount_other: '{{count}} downloads',
    notFound: 'This product does not exist or is no longer for sale.'
  },
  buy: {
    title: 'Buy',
    provider: 'Pay with',
    providers: {
      stripe: 'Card (Stripe)',
      midtrans: 'Midtrans (e-wallet, virtual account)',
      manual: 'Bank transfer'
    },
    submit: 'Buy for {{price}}',
    processing: 'Starting checkout…',
    signInToBuy: 'Sign in to buy',
    owned: 'You already own this for life.',
    renewExpired: 'Your access expired on {{date}}. Buying again renews it.',
    renewRevoked: 'Your access to this product was revoked. Buying again gives you new access.',
    extendUntil: 'Your access lasts until {{date}}. Buying again starts a new access period.',
    openLibrary: 'Open my library',
    errors: {
      already_owned: 'You already own this product for life: it is in your library.',
      product_not_found: 'This product is no longer for sale.',
      provider_not_configured:
        'This payment method is not available right now. Choose another one.',
      cart_empty: 'Nothing was selected to buy.',
      cart_duplicate_product:
        'The same product was selected twice. Reload the page and buy it once.',
      mixed_currency: 'These products are priced in different currencies. Buy them separately.',
      currency_not_supported:
        'This payment method does not take payments in this currency. Choose another one.',
      amount_not_supported: 'This payment method cannot take this amount. Choose another one.',
      provider_error:
        'The payment provider did not respond. Try again in a few minutes, or choose another method.',
      missing_authorization: 'Your session has ended. Sign in again to buy.',
      invalid_token: 'Your session has ended. Sign in again to buy.',
      network_error: 'The server could not be reached. Check your connection and try again.',
      generic: 'Checkout could not be started. Try again in a moment.'
    }
  },
  bank: {
    title: 'Pay by bank transfer',
    intro: 'Transfer the exact amount and write the reference in the transfer note.',
    bankName: 'Bank',
    accountName: 'Account name',
    accountNumber: 'Account number',
    reference: 'Reference',
    amount: 'Amount',
    proof: 'Proof of transfer (image or PDF)',
    proofHint: 'PNG, JPEG, WebP or PDF, up to {{limit}}.',
    upload: 'Send proof',
    uploading: 'Sending…',
    proofSent: 'Thank you. We received your proof and will verify the payment soon.',
    proofMissing: 'Choose the file with your proof of transfer first.',
    viewOrder: 'View order',
    errors: {
      proof_invalid_type:
        'This file type is not accepted. Send a PNG, JPEG or WebP image, or a PDF.',
      proof_too_large: 'The file is larger than {{limit}}. Send a smaller image or PDF.',
      order_not_awaiting_payment: 'This order no longer waits for a payment, so it takes no proof.',
      already_reviewed: 'The proof of this order was already reviewed.',
      network_error: 'The server could not be reached. Check your connection and try again.',
      generic: 'The proof could not be sent. Try again in a moment.'
    }
  },
  orders: {
    title: 'Orders',
    empty: 'You have no orders yet.',
    order: 'Order',
    date: 'Date',
    total: 'Total',
    status: 'Status',
    provider: 'Payment',
    open: 'Open order {{reference}}',
    detailTitle: 'Order {{reference}}',
    items: 'Items',
    statuses: {
      pending: 'Pending',
      awaiting_payment: 'Awaiting payment',
      paid: 'Paid',
      failed: 'Failed',
      expired: 'Expired',
      refunded: 'Refunded',
      partially_refunded: 'Partially refunded',
      disputed: 'Disputed',
      needs_review: 'Under review',
      proof_received: 'Proof received'
    },
    verifying: 'Verifying payment…',
    verifyingHint: 'This page updates by itself once the payment is confirmed.',
    paid: 'Payment received. Your purchase is in your library.',
    goLibrary: 'Go to my library',
    failed: 'The payment did not go through. You can try again from the product page.',
    awaitingTransfer: 'Waiting for your bank transfer.',
    proofReceived: 'Proof received on {{date}}. We are verifying the payment.',
    rejected: 'The proof was rejected: {{reason}}',
    notFound: 'This order does not exist.',
    backToOrders: 'All orders'
  },
  admin: {
    title: 'Admin',
    review: 'Payments awaiting review',
    noPending: 'No bank transfers are waiting for review.',
    submitted: 'Proof sent {{date}}',
    buyer: 'Buyer',
    viewProof: 'View proof',
    proofImage: 'Proof of transfer for order {{reference}}',
    proofUnavailable: 'The proof file could not be opened.',
    approve: 'Approve',
    reject: 'Reject',
    rejectReason: 'Reason for rejecting',
    rejectReasonRequired: 'Write the reason the buyer will see.',
    approved: 'Order {{reference}} was approved.',
    rejected: 'Order {{reference}} was rejected.',
    recentOrders: 'Recent orders',
    noOrders: 'No orders yet.',
    errors: {
      generic: 'The review could not be saved. Try again in a moment.'
    }
  },
  errors: {
    title: 'Something went wrong',
    notFound: 'Page not found',
    forbidden: 'You do not have access to this page.',
    generic: 'Something went wrong. Try again in a moment.',
    network: 'The server could not be reached. Check your connection and try again.',
    loadFailed: 'This page could not be loaded. Try again in a moment.',
    home: 'Go to the store',
    dismiss: 'Dismiss'
  }
};

export type Messages = typeof en;
