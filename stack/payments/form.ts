/**
 * Parses an `application/x-www-form-urlencoded` body in Stripe's bracket notation
 * (`line_items[0][price_data][currency]=usd`, `metadata[order_id]=…`, `expand[]=…`) into
 * nested objects and arrays, the inverse of how stripe-node encodes request parameters.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

function isIndex(key: string): boolean {
  return key === '' || /^\d+$/.test(key);
}

function keyPath(name: string): string[] {
  const first = /^[^[]*/.exec(name)?.[0] ?? '';
  const rest = [...name.slice(first.length).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1]);
  return [first, ...rest];
}

function assign(
  target: Record<string, FormValue> | FormValue[],
  path: string[],
  value: string
): void {
  const [key, ...rest] = path;
  const container = target as Record<string, FormValue>;
  const slot = Array.isArray(target) && key === '' ? String(target.length) : key;

  if (rest.length === 0) {
    container[slot] = value;
    return;
  }
  if (container[slot] === undefined || typeof container[slot] === 'string') {
    container[slot] = isIndex(rest[0]) ? [] : {};
  }
  assign(container[slot] as Record<string, FormValue> | FormValue[], rest, value);
}

/** Arrays are built sparsely from their indices; this compacts them in index order. */
function compact(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => compact(value[Number(key)]));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, compact(inner)]));
}

export function parseStripeForm(body: string): Record<string, FormValue> {
  const result: Record<string, FormValue> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    assign(result, keyPath(name), value);
  }
  return compact(result) as Record<string, FormValue>;
}
