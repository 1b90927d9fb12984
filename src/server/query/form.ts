// Parsing of AWS query-protocol requests (IAM, STS): an x-www-form-urlencoded body such as
// `Action=CreateUser&Version=2010-05-08&UserName=alice&Tags.member.1.Key=team`.

export class QueryParams {
  readonly #params: ReadonlyMap<string, string>;

  constructor(params: ReadonlyMap<string, string>) {
    this.#params = params;
  }

  /** Parses a form body; a repeated name keeps its first value (AWS ignores the rest). */
  static parse(body: string): QueryParams {
    const params = new Map<string, string>();
    for (const [name, value] of new URLSearchParams(body)) if (!params.has(name)) params.set(name, value);
    return new QueryParams(params);
  }

  get(name: string): string | undefined {
    return this.#params.get(name);
  }

  /** Every parameter name, for rejecting unknown ones. */
  names(): IterableIterator<string> {
    return this.#params.keys();
  }

  /** A list `Name.member.1`, `Name.member.2`, … up to the first gap, as AWS reads it. */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.#params.get(`${name}.member.${i}`);
      if (value === undefined) return out;
      out.push(value);
    }
  }

  /** A list of structures: `Tags.member.1.Key`, `Tags.member.1.Value`, … */
  structList<K extends string>(name: string, fields: readonly K[]): Record<K, string | undefined>[] {
    const out: Record<K, string | undefined>[] = [];
    for (let i = 1; ; i++) {
      const prefix = `${name}.member.${i}.`;
      const entry = Object.fromEntries(fields.map((f) => [f, this.#params.get(prefix + f)])) as Record<K, string | undefined>;
      if (fields.every((f) => entry[f] === undefined)) return out;
      out.push(entry);
    }
  }
}
