// .env files: `.env`, `.env.<env>`, and `<name>.env` (what a configMapGenerator or an env_file reads).
// Examples and templates (`.env.example`) are documentation, not configuration: never read.
import { extractDotenv } from './read';
import type { FormatPlugin } from '../types';
import { dotenvJoin } from './join';
import { lowerDotenv, dotenvPorts, explainDotenv } from './lower';

export const format: FormatPlugin = {
  id: 'dotenv',
  title: '.env file',
  reads: [{ kind: 'dotenv', files: ['.env', '.env.*', '*.env'], exclude: ['*.example', '*.sample', '*.template', '*.dist', '*.default', '*.defaults'], activates: true }],
  languages: ['dotenv'],
  lower: lowerDotenv,
  ports: dotenvPorts,
  explain: explainDotenv,
  join: dotenvJoin,
  units: 'file',
  extract: (file) => extractDotenv(file),
};
