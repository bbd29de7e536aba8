import type { DraftProgram, ProposedSetting, SourceRef } from './types.js';

/** Collects what a mapping table makes of one source program. */
export class DraftBuilder {
  private readonly draft: DraftProgram;

  constructor(name: string, from: SourceRef) {
    this.draft = { name: safeProgramName(name), from, settings: [], unmapped: [], notes: [] };
    if (this.draft.name !== name) this.draft.notes.push({ from, note: `renamed ${JSON.stringify(name)} to ${this.draft.name}` });
  }

  get name(): string {
    return this.draft.name;
  }

  set(key: string, value: string, from: SourceRef, note?: string): this {
    this.draft.settings.push({ where: 'program', key, value, from, ...(note ? { note } : {}) });
    return this;
  }

  env(key: string, value: string, from: SourceRef): this {
    this.draft.settings.push({ where: 'env', key, value, from });
    return this;
  }

  monitoring(key: string, value: string, from: SourceRef, note?: string): this {
    this.draft.settings.push({ where: 'monitoring', key, value, from, ...(note ? { note } : {}) });
    return this;
  }

  unmapped(from: SourceRef, why: string): this {
    this.draft.unmapped.push({ from, why });
    return this;
  }

  /** A source setting that needs no usrsvc setting (it is usrsvc's behaviour already). */
  note(from: SourceRef, note: string): this {
    this.draft.notes.push({ from, note });
    return this;
  }

  has(key: string): boolean {
    return this.draft.settings.some((setting: ProposedSetting) => setting.where === 'program' && setting.key === key);
  }

  build(): DraftProgram {
    return this.draft;
  }
}

/** usrsvc program names: letters, digits, ".", "_", "-"; anything else becomes "-". */
export function safeProgramName(name: string): string {
  const safe = name.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '');
  return safe === '' ? 'program' : safe;
}
