import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STAFF_ROLES } from '../platform/permissions.js';
import { apply, availableActions, check, FINAL, STATUS, TRANSITIONS, type Actor, type DossierState, type Status } from './workflow.js';

const ACTORS: Actor[] = ['applicant', ...STAFF_ROLES];
const fresh: DossierState = { status: STATUS.submitted, stage: '', dueDate: null, previousStatus: null, previousStage: '' };
const TODAY = '2026-03-10';

function run(state: DossierState, steps: [Parameters<typeof check>[0], Actor][]): DossierState {
  return steps.reduce((s, [action, actor]) => {
    const r = check(action, s, [actor], TODAY);
    if (!r.ok) throw new Error(`${action} by ${actor} refused: ${r.reason} at status ${s.status}/${s.stage}`);
    return apply(r.transition, s);
  }, state);
}

describe('dossier workflow table', () => {
  it('runs a birth registration end to end, with a supplement before acceptance', () => {
    const end = run(fresh, [
      ['request_supplement', 'receiving_officer'],
      ['resubmit', 'applicant'],
      ['accept', 'receiving_officer'],
      ['assign', 'receiving_officer'],
      ['appraise', 'specialist'],
      ['approve', 'commune_leader'],
      ['return_result', 'receiving_officer'],
    ]);
    expect(end.status).toBe(STATUS.returned);
  });

  it('returns to where it was after a supplement during processing, and after payment', () => {
    const processing = run(fresh, [['accept', 'receiving_officer'], ['assign', 'commune_leader']]);
    const paused = run(processing, [['request_supplement', 'specialist']]);
    expect(paused.status).toBe(STATUS.supplementRequested);
    expect(run(paused, [['resubmit', 'receiving_officer']])).toMatchObject({ status: STATUS.inProcess, stage: 'processing' });
    const appraised = run(processing, [['appraise', 'specialist']]);
    const paying = run(appraised, [['request_payment', 'specialist']]);
    expect(run(paying, [['confirm_payment', 'receiving_officer']])).toMatchObject({ status: STATUS.inProcess, stage: 'appraised' });
  });

  it('gives each action only to its roles', () => {
    const table: Record<string, Actor[]> = Object.fromEntries(TRANSITIONS.map((t) => [t.action, [...t.by]]));
    expect(table.accept).toEqual(['receiving_officer']);
    expect(table.approve).toEqual(['commune_leader']);
    expect(table.appraise).toEqual(['specialist']);
    expect(table.withdraw).toContain('applicant');
    expect(check('accept', fresh, ['specialist'], TODAY)).toEqual({ ok: false, reason: 'not_allowed_role' });
    expect(check('accept', fresh, ['applicant'], TODAY)).toEqual({ ok: false, reason: 'not_allowed_role' });
    expect(check('approve', fresh, ['commune_leader'], TODAY)).toEqual({ ok: false, reason: 'wrong_status' });
  });

  it('requires an apology (form 04) before anything else moves an overdue dossier', () => {
    const late: DossierState = { status: STATUS.inProcess, stage: 'processing', dueDate: '2026-03-09', previousStatus: null, previousStage: '' };
    expect(check('appraise', late, ['specialist'], TODAY)).toEqual({ ok: false, reason: 'overdue_needs_apology' });
    const apology = check('apologise', late, ['specialist'], TODAY);
    expect(apology.ok && apology.transition.form).toBe('04');
    expect(check('appraise', { ...late, dueDate: '2026-03-16' }, ['specialist'], TODAY).ok).toBe(true);
    expect(check('appraise', { ...late, dueDate: TODAY }, ['specialist'], TODAY).ok).toBe(true);
  });

  it('produces the legal forms from the right actions', () => {
    const forms = Object.fromEntries(TRANSITIONS.filter((t) => t.form).map((t) => [t.action, t.form]));
    expect(forms).toEqual({ accept: '01', request_supplement: '02', refuse: '03', apologise: '04', stop: '05' });
  });

  const statusArb = fc.constantFrom(...(Object.values(STATUS) as Status[]));
  const stageArb = fc.constantFrom('' as const, 'processing' as const, 'appraised' as const);
  const stateArb = fc.record({
    status: statusArb,
    stage: stageArb,
    dueDate: fc.option(fc.constantFrom('2026-03-09', '2026-03-10', '2026-03-11'), { nil: null }),
    previousStatus: fc.option(statusArb, { nil: null }),
    previousStage: stageArb,
  });

  it('never moves a dossier out of a final status', () => {
    fc.assert(
      fc.property(stateArb, fc.subarray(ACTORS, { minLength: 1 }), (state, actors) => {
        if (FINAL.includes(state.status)) expect(availableActions(state, actors, TODAY)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('random walks of allowed actions stay within statuses 1–10 and end only in final statuses', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100), { maxLength: 30 }), (choices) => {
        let s = fresh;
        for (const c of choices) {
          const options = availableActions(s, ACTORS, TODAY);
          if (options.length === 0) {
            expect(FINAL).toContain(s.status);
            break;
          }
          s = apply(options[c % options.length]!, s);
          expect(s.status).toBeGreaterThanOrEqual(1);
          expect(s.status).toBeLessThanOrEqual(10);
          if (s.status === STATUS.inProcess) expect(['processing', 'appraised']).toContain(s.stage);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a citizen can only resubmit or withdraw', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        for (const t of availableActions(state, ['applicant'], TODAY)) expect(['resubmit', 'withdraw']).toContain(t.action);
      }),
      { numRuns: 2000 },
    );
  });
});
