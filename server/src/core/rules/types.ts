// What every rule module exports: its metadata first, then the check over the model.
import type { Model } from '../model';
import type { RawFinding, Severity } from '../types';

export interface Rule {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** The fix aligns ports, so `port-parity fix` may apply it. */
  fixable: boolean;
  check(model: Model): RawFinding[];
}
