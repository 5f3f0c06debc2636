// The argument loop of the commands with their own options (verify, local): `--flag value`, `--flag=value`,
// and the rest positional. Each command says which flags it knows; an unknown one is a usage error.

/** Calls `flag(name, take)` for each option (`take()` gives its value) and `positional(arg)` for the rest. */
export function readFlags(argv: string[], flag: (name: string, take: () => string) => boolean, positional: (arg: string) => void, usage: (message: string) => Error): void {
  for (let i = 0; i < argv.length; i++) {
    let name = argv[i];
    let inline: string | undefined;
    if (name.startsWith('--') && name.includes('=')) [name, inline] = [name.slice(0, name.indexOf('=')), name.slice(name.indexOf('=') + 1)];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw usage(`${name} needs a value`);
      return v;
    };
    if (name.startsWith('-') && name.length > 1) {
      if (!flag(name, take)) throw usage(`unknown option ${name}`);
    } else positional(name);
  }
}
