import { Csrf, Field, Notice as Note, type PageContext, translator } from '../../web/render.tsx';
import type { Notice } from '../notices.ts';
import { NOTICE_CATEGORIES } from '../preferences.ts';

/* Page components of the notices console (props → JSX); the handlers are in routes.tsx. */

/** The dictionary key of a notice's status. */
export const statusKey = (n: Notice) => `notices.op.status.${n.status}` as const;
/** The form that writes a notice in both languages (category, subjects, bodies). */
export const NoticeForm = (props: {
  pc: PageContext;
  error?: string;
  v: Record<string, string | undefined>;
}) => {
  const tr = translator(props.pc.locale);
  const area = (name: string, label: string) => (
    <div>
      <label for={name}>{label}</label>
      <textarea
        id={name}
        name={name}
        rows={8}
        cols={60}
        maxLength={10_000}
        required
        aria-describedby={`${name}-hint`}
      >
        {props.v[name] ?? ''}
      </textarea>
      <p class="hint" id={`${name}-hint`}>
        {tr('notices.op.body_hint')}
      </p>
    </div>
  );
  return (
    <form method="post" action="/operator/notices" novalidate>
      <Csrf pc={props.pc} />
      {props.error ? <Note kind="error">{props.error}</Note> : null}
      <div>
        <label for="category">{tr('notices.op.category')}</label>
        <select id="category" name="category">
          {NOTICE_CATEGORIES.map((c) => (
            <option value={c} selected={props.v.category === c}>
              {tr(`notices.category.${c}`)}
            </option>
          ))}
        </select>
      </div>
      {(['Ja', 'En'] as const).map((l) => (
        <>
          <Field
            id={`subject${l}`}
            name={`subject${l}`}
            label={tr(l === 'Ja' ? 'notices.op.subject_ja' : 'notices.op.subject_en')}
            value={props.v[`subject${l}`]}
            maxLength={200}
            required
          />
          {area(`body${l}`, tr(l === 'Ja' ? 'notices.op.body_ja' : 'notices.op.body_en'))}
        </>
      ))}
      <button type="submit">{tr('notices.op.create')}</button>
    </form>
  );
};
