import { phoneCountries } from '../security-info/phone/parse-phone.ts';
import { Field, type PageContext, translator } from './render.tsx';

/** Country picker (Japan first) and mobile number field, for every form that adds a phone. */
export function PhoneFields(props: {
  pc: PageContext;
  country?: string;
  number?: string;
  error?: string;
  hint?: string;
}) {
  const tr = translator(props.pc.locale);
  const country = props.country ?? 'JP';
  return (
    <div>
      <label for="country">{tr('field.country')}</label>
      <select id="country" name="country" autocomplete="tel-country-code">
        {phoneCountries(props.pc.locale).map((c) => (
          <option value={c.code} selected={c.code === country}>
            {`${c.name} (${c.dial})`}
          </option>
        ))}
      </select>
      <Field
        id="number"
        name="number"
        type="tel"
        label={tr('field.phone')}
        value={props.number}
        autocomplete="tel-national"
        inputmode="tel"
        required
        maxLength={40}
        error={props.error}
        hint={props.hint}
      />
    </div>
  );
}
