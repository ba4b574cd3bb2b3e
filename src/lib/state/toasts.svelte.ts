export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

const TOAST_LIFETIME_MS = 8000;

class ToastState {
  items = $state<Toast[]>([]);
  #nextId = 1;

  show(kind: ToastKind, message: string): void {
    const id = this.#nextId++;
    this.items.push({ id, kind, message });
    setTimeout(() => this.dismiss(id), TOAST_LIFETIME_MS);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }
}

/** Short notices shown in the corner of every page. */
export const toasts = new ToastState();
