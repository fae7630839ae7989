// Turns a stream of text chunks into whole lines. A chunk can end mid-line, so the tail is
// kept until the next newline or until the stream ends; a runaway line with no newline is
// cut at `maxLineLength` so one noisy child cannot grow the buffer without bound.

export class LineSplitter {
  #partial = "";

  constructor(private readonly maxLineLength = 4_000) {}

  /** Returns the lines completed by this chunk, without their line terminators. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let text = this.#partial + chunk;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      lines.push(...this.#cut(stripCarriageReturn(text.slice(0, newline))));
      text = text.slice(newline + 1);
      newline = text.indexOf("\n");
    }
    while (text.length > this.maxLineLength) {
      lines.push(text.slice(0, this.maxLineLength));
      text = text.slice(this.maxLineLength);
    }
    this.#partial = text;
    return lines;
  }

  /** Call once the stream has ended: a last line without a trailing newline is still a line. */
  end(): string[] {
    const rest = stripCarriageReturn(this.#partial);
    this.#partial = "";
    return rest === "" ? [] : this.#cut(rest);
  }

  #cut(line: string): string[] {
    if (line.length <= this.maxLineLength) return [line];
    const parts: string[] = [];
    for (let i = 0; i < line.length; i += this.maxLineLength) parts.push(line.slice(i, i + this.maxLineLength));
    return parts;
  }
}

const stripCarriageReturn = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);

/** Keeps the last `size` items pushed — for the stdout/stderr tails quoted in results and errors. */
export class TailBuffer<T> {
  #items: T[] = [];
  constructor(private readonly size: number) {}
  push(item: T) {
    this.#items.push(item);
    if (this.#items.length > this.size) this.#items.shift();
  }
  get items(): readonly T[] {
    return this.#items;
  }
}
