import type { Messages } from './en';

/** Bahasa Indonesia messages. Indonesian has no plural forms, so `_one` repeats `_other`. */
export const id: Messages = {
  app: {
    name: 'Brankas',
    tagline: 'Loker digital Anda',
    skipToContent: 'Langsung ke konten',
    language: 'Bahasa',
    loading: 'Memuat…',
    mainNavigation: 'Utama'
  },
  nav: {
    store: 'Toko',
    library: 'Pustaka saya',
    orders: 'Pesanan',
    admin: 'Admin',
    signIn: 'Masuk',
    signOut: 'Keluar',
    signedInAs: 'Masuk sebagai {{email}}'
  },
  config: {
    title: 'Brankas belum dikonfigurasi',
    body: 'Aplikasi tidak dapat menghubungi backend karena pengaturan berikut tidak ada atau tidak valid:',
    fix: 'Isi PUBLIC_SUPABASE_URL dan PUBLIC_SUPABASE_ANON_KEY di environment server yang menyajikan aplikasi, lalu muat ulang halaman ini.'
  },
  signin: {
    title: 'Masuk',
    intro: 'Masuk untuk membuka pustaka Anda dan mengunduh yang sudah Anda beli.',
    methods: 'Cara masuk',
    magicTab: 'Tautan email',
    passwordTab: 'Kata sandi',
    email: 'Alamat email',
    password: 'Kata sandi',
    sendLink: 'Kirimi saya tautan masuk',
    sending: 'Mengirim…',
    linkSent: 'Periksa kotak masuk Anda: kami mengirim tautan masuk ke {{email}}.',
    submit: 'Masuk',
    signingIn: 'Sedang masuk…',
    passwordMissing: 'Masukkan kata sandi Anda, atau gunakan tautan email.',
    or: 'atau',
    linkHint: 'Tidak punya kata sandi? Kami kirim tautan masuk ke email Anda.',
    errors: {
      invalid_credentials: 'Email atau kata sandi salah. Periksa keduanya lalu coba lagi.',
      email_not_confirmed: 'Konfirmasi alamat email Anda dulu: buka tautan yang kami kirim.',
      over_email_send_rate_limit:
        'Terlalu banyak email dikirim ke alamat ini. Tunggu sebentar lalu coba lagi.',
      otp_disabled: 'Tidak ada akun dengan alamat email ini.',
      validation_failed: 'Masukkan alamat email yang valid.',
      generic: 'Gagal masuk. Coba lagi sebentar lagi.'
    }
  },
  callback: {
    finishing: 'Menyelesaikan proses masuk…',
    failed: 'Tautan masuk tidak berfungsi',
    expired: 'Tautan sudah kedaluwarsa atau sudah dipakai. Minta tautan baru.',
    backToSignIn: 'Kembali ke halaman masuk'
  },
  library: {
    title: 'Pustaka saya',
    intro: 'Semua yang Anda beli, siap diunduh.',
    empty: 'Pustaka Anda masih kosong.',
    browseStore: 'Lihat toko',
    accessLifetime: 'Akses seumur hidup',
    accessUntil: 'Akses sampai {{date}}',
    accessExpired: 'Akses berakhir pada {{date}}',
    accessRevoked: 'Akses dicabut',
    accessRevokedReason: 'Akses dicabut: {{reason}}',
    accessSuspended: 'Akses ditangguhkan selama sengketa pembayaran berlangsung',
    accessPending: 'Menunggu konfirmasi pembayaran',
    limitReached: 'Semua jatah unduhan sudah dipakai',
    buyAgain: 'Beli lagi',
    buyAgainTitle: 'Beli {{title}} lagi',
    downloadsLeft_one: 'Sisa {{count}} unduhan',
    downloadsLeft_other: 'Sisa {{count}} unduhan',
    files: 'Berkas',
    fileName: 'Berkas',
    fileFormat: 'Format',
    fileSize: 'Ukuran',
    download: 'Unduh',
    downloadFile: 'Unduh {{name}}',
    preparing: 'Menyiapkan…',
    noFiles: 'Produk ini belum memiliki berkas.',
    refusals: {
      access_expired: 'Akses Anda ke produk ini sudah berakhir.',
      download_limit_reached: 'Anda sudah memakai semua jatah unduhan produk ini.',
      access_revoked: 'Akses Anda ke produk ini telah dicabut.',
      access_suspended: 'Unduhan dihentikan sementara selama sengketa pembayaran berlangsung.',
      payment_pending: 'Pembayaran untuk produk ini belum dikonfirmasi.',
      not_purchased: 'Berkas ini tidak termasuk dalam pembelian Anda.',
      file_not_found: 'Berkas ini sudah tidak ada.',
      generic: 'Unduhan tidak dapat dimulai. Coba lagi sebentar lagi.'
    }
  },
  store: {
    title: 'Toko',
    intro: 'Ebook, templat, dan perangkat, dikirim ke pustaka Anda.',
    empty: 'Belum ada yang dijual.',
    view: 'Lihat {{title}}'
  },
  product: {
    back: 'Kembali ke toko',
    price: 'Harga',
    format: 'Format',
    totalSize: 'Ukuran total',
    files_one: '{{count}} berkas',
    files_other: '{{count}} berkas',
    contents: 'Isi',
    systemRequirements: 'Persyaratan sistem',
    access: 'Akses',
    accessLifetime: 'Seumur hidup',
    accessDays_one: '{{count}} hari setelah pembelian',
    accessDays_other: '{{count}} hari setelah pembelian',
    downloadLimit: 'Unduhan',
    unlimited: 'Tanpa batas',
    downloadLimitCount_one: '{{count}} kali unduh',
    downloadLimitCount_other: '{{count}} kali unduh',
    notFound: 'Produk ini tidak ada atau sudah tidak dijual.'
  },
  buy: {
    title: 'Beli',
    provider: 'Bayar dengan',
    providers: {
      stripe: 'Kartu (Stripe)',
      midtrans: 'Midtrans (dompet digital, virtual account)',
      manual: 'Transfer bank'
    },
    submit: 'Beli seharga {{price}}',
    processing: 'Memulai pembayaran…',
    signInToBuy: 'Masuk untuk membeli',
    owned: 'Anda sudah memiliki produk ini seumur hidup.',
    renewExpired: 'Akses Anda berakhir pada {{date}}. Beli lagi untuk memperbaruinya.',
    renewRevoked: 'Akses Anda ke produk ini dicabut. Beli lagi untuk mendapat akses baru.',
    extendUntil: 'Akses Anda berlaku sampai {{date}}. Beli lagi untuk memulai masa akses baru.',
    openLibrary: 'Buka pustaka saya',
    errors: {
      already_owned: 'Anda sudah memiliki produk ini seumur hidup: produk ada di pustaka Anda.',
      product_not_found: 'Produk ini sudah tidak dijual.',
      provider_not_configured: 'Metode pembayaran ini sedang tidak tersedia. Pilih metode lain.',
      cart_empty: 'Tidak ada yang dipilih untuk dibeli.',
      cart_duplicate_product:
        'Produk yang sama terpilih dua kali. Muat ulang halaman lalu beli sekali.',
      mixed_currency: 'Produk-produk ini dihargai dalam mata uang berbeda. Beli secara terpisah.',
      currency_not_supported:
        'Metode pembayaran ini tidak menerima mata uang ini. Pilih metode lain.',
      amount_not_supported:
        'Metode pembayaran ini tidak dapat menerima jumlah ini. Pilih metode lain.',
      provider_error:
        'Penyedia pembayaran tidak merespons. Coba lagi beberapa menit lagi, atau pilih metode lain.',
      missing_authorization: 'Sesi Anda telah berakhir. Masuk lagi untuk membeli.',
      invalid_token: 'Sesi Anda telah berakhir. Masuk lagi untuk membeli.',
      network_error: 'Server tidak dapat dihubungi. Periksa koneksi Anda lalu coba lagi.',
      generic: 'Pembayaran tidak dapat dimulai. Coba lagi sebentar lagi.'
    }
  },
  bank: {
    title: 'Bayar dengan transfer bank',
    intro: 'Transfer jumlah yang tepat dan tulis referensi di berita transfer.',
    bankName: 'Bank',
    accountName: 'Nama rekening',
    accountNumber: 'Nomor rekening',
    reference: 'Referensi',
    amount: 'Jumlah',
    proof: 'Bukti transfer (gambar atau PDF)',
    proofHint: 'PNG, JPEG, WebP atau PDF, paling besar {{limit}}.',
    upload: 'Kirim bukti',
    uploading: 'Mengirim…',
    proofSent:
      'Terima kasih. Bukti Anda sudah kami terima dan pembayaran akan segera kami periksa.',
    proofMissing: 'Pilih berkas bukti transfer terlebih dahulu.',
    viewOrder: 'Lihat pesanan',
    errors: {
      proof_invalid_type:
        'Jenis berkas ini tidak diterima. Kirim gambar PNG, JPEG atau WebP, atau PDF.',
      proof_too_large: 'Berkas lebih besar dari {{limit}}. Kirim gambar atau PDF yang lebih kecil.',
      order_not_awaiting_payment:
        'Pesanan ini tidak lagi menunggu pembayaran, jadi tidak menerima bukti.',
      already_reviewed: 'Bukti pesanan ini sudah ditinjau.',
      network_error: 'Server tidak dapat dihubungi. Periksa koneksi Anda lalu coba lagi.',
      generic: 'Bukti tidak dapat dikirim. Coba lagi sebentar lagi.'
    }
  },
  orders: {
    title: 'Pesanan',
    empty: 'Anda belum memiliki pesanan.',
    order: 'Pesanan',
    date: 'Tanggal',
    total: 'Total',
    status: 'Status',
    provider: 'Pembayaran',
    open: 'Buka pesanan {{reference}}',
    detailTitle: 'Pesanan {{reference}}',
    items: 'Barang',
    statuses: {
      pending: 'Menunggu',
      awaiting_payment: 'Menunggu pembayaran',
      paid: 'Lunas',
      failed: 'Gagal',
      expired: 'Kedaluwarsa',
      refunded: 'Dikembalikan',
      partially_refunded: 'Dikembalikan sebagian',
      disputed: 'Disengketakan',
      needs_review: 'Sedang ditinjau',
      proof_received: 'Bukti diterima'
    },
    verifying: 'Memverifikasi pembayaran…',
    verifyingHint: 'Halaman ini diperbarui sendiri setelah pembayaran dikonfirmasi.',
    paid: 'Pembayaran diterima. Pembelian Anda ada di pustaka.',
    goLibrary: 'Ke pustaka saya',
    failed: 'Pembayaran tidak berhasil. Anda dapat mencoba lagi dari halaman produk.',
    awaitingTransfer: 'Menunggu transfer bank Anda.',
    proofReceived: 'Bukti diterima pada {{date}}. Kami sedang memverifikasi pembayaran.',
    rejected: 'Bukti ditolak: {{reason}}',
    notFound: 'Pesanan ini tidak ada.',
    backToOrders: 'Semua pesanan'
  },
  admin: {
    title: 'Admin',
    review: 'Pembayaran menunggu peninjauan',
    noPending: 'Tidak ada transfer bank yang menunggu peninjauan.',
    submitted: 'Bukti dikirim {{date}}',
    buyer: 'Pembeli',
    viewProof: 'Lihat bukti',
    proofImage: 'Bukti transfer untuk pesanan {{reference}}',
    proofUnavailable: 'Berkas bukti tidak dapat dibuka.',
    approve: 'Setujui',
    reject: 'Tolak',
    rejectReason: 'Alasan penolakan',
    rejectReasonRequired: 'Tulis alasan yang akan dibaca pembeli.',
    approved: 'Pesanan {{reference}} disetujui.',
    rejected: 'Pesanan {{reference}} ditolak.',
    recentOrders: 'Pesanan terbaru',
    noOrders: 'Belum ada pesanan.',
    errors: {
      generic: 'Hasil peninjauan tidak dapat disimpan. Coba lagi sebentar lagi.'
    }
  },
  errors: {
    title: 'Terjadi kesalahan',
    notFound: 'Halaman tidak ditemukan',
    forbidden: 'Anda tidak memiliki akses ke halaman ini.',
    generic: 'Terjadi kesalahan. Coba lagi sebentar lagi.',
    network: 'Server tidak dapat dihubungi. Periksa koneksi Anda lalu coba lagi.',
    loadFailed: 'Halaman ini tidak dapat dimuat. Coba lagi sebentar lagi.',
    home: 'Ke toko',
    dismiss: 'Tutup'
  }
};
