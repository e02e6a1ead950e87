/**
 * A command line split into words as a POSIX shell splits it (quotes and backslashes, no
 * expansion), for hosts that run a command without a shell: a Fly Machine's `init.cmd`, a
 * Docker container's `command`. flyctl splits a release command the same way.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (ch === "\\" && i + 1 < line.length && (!quote || '"\\$`'.includes(line[i + 1]))) {
      word = (word ?? "") + line[++i];
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= "";
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + ch;
    }
  }
  if (quote) throw new Error(`the command has an unclosed ${quote} quote`);
  if (word !== undefined) words.push(word);
  return words;
}
