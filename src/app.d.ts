// See https://svelte.dev/docs/kit/types#app.d.ts for what each interface types.
declare global {
  namespace App {
    interface Error {
      message: string;
      /** A stable code such as `forbidden` or `product_not_found`, for the error page. */
      code?: string;
    }
    // interface Locals {}
    // interface PageData {}
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
