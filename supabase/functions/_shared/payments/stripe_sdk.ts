/**
 * The official Stripe SDK, pinned to the version in the root package.json so the functions,
 * the payment sandbox and the tests sign and parse events the same way.
 */
export { default as Stripe } from 'npm:stripe@23.2.0';
