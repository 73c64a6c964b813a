import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CliError } from '../cli/cli-error';
import { emptyConfig, type ClientConfig, type RackEntry } from './client-config';
import { errorText } from '../cli/error-text';

export const CONFIG_FILE_NAME = 'config.json';

function describeCorruption(path: string, reason: string): CliError {
  return new CliError(
    `the config file ${path} is corrupt (${reason}); fix it or delete it and run: rack-gateway login <rack> <url>`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const OPTIONAL_STRING_FIELDS = ['token', 'expiresAt', 'email', 'name'] as const;

function validateRack(path: string, name: string, value: unknown): RackEntry {
  if (!isRecord(value) || typeof value.url !== 'string') {
    throw describeCorruption(path, `rack "${name}" has no "url"`);
  }
  const entry: RackEntry = { url: value.url };
  for (const field of OPTIONAL_STRING_FIELDS) {
    const fieldValue = value[field];
    if (fieldValue === undefined || fieldValue === null) continue;
    if (typeof fieldValue !== 'string')
      throw describeCorruption(path, `rack "${name}" has a non-text "${field}"`);
    entry[field] = fieldValue;
  }
  return entry;
}

function validateConfig(path: string, parsed: unknown): ClientConfig {
  if (!isRecord(parsed)) throw describeCorruption(path, 'the top level is not an object');
  const config = emptyConfig();
  if (parsed.current !== undefined && parsed.current !== null) {
    if (typeof parsed.current !== 'string') throw describeCorruption(path, '"current" is not text');
    config.current = parsed.current;
  }
  if (parsed.racks !== undefined) {
    if (!isRecord(parsed.racks)) throw describeCorruption(path, '"racks" is not an object');
    for (const [name, value] of Object.entries(parsed.racks))
      config.racks[name] = validateRack(path, name, value);
  }
  return config;
}

/**
 * config.json in one directory. The directory is 0700 and the file 0600 because it holds session
 * tokens; saves go to a temporary file that is flushed and renamed over the old one, so a crash or a
 * concurrent reader never sees half a file.
 */
export class ConfigStore {
  readonly path: string;

  constructor(readonly directory: string) {
    this.path = join(directory, CONFIG_FILE_NAME);
  }

  load(): ClientConfig {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
      throw new CliError(`cannot read the config file ${this.path}: ${errorText(error)}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw describeCorruption(this.path, `not valid JSON: ${errorText(error)}`);
    }
    return validateConfig(this.path, parsed);
  }

  save(config: ClientConfig): void {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const body = `${JSON.stringify(config, null, 2)}\n`;
    try {
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, body);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new CliError(`cannot write the config file ${this.path}: ${errorText(error)}`);
    }
  }

  /** Load, change, save: the one way commands modify the config. */
  update(change: (config: ClientConfig) => void): ClientConfig {
    const config = this.load();
    change(config);
    this.save(config);
    return config;
  }
}
