"use client";
// One PONAS amount and a button: the stake and unstake forms of the mine and verifiers pages. The
// text is checked by lib/format's parseAmount against what the account has (`max`, `maxWhat`
// names it in the error); a wrong amount goes to `onError` in words and nothing is sent. `onAmount`
// sends the transaction(s) and returns whether they went through: the field is cleared only then,
// so a refused amount stays to be corrected.
import { useState, type FormEvent } from "react";
import { parseAmount } from "../lib/format";

export interface AmountFormProps {
  label: string;
  /** The input's name and data-testid (`<name>-input`). */
  name: string;
  placeholder: string;
  button: string;
  /** data-testid of the button, where a test clicks it by id. */
  buttonTestId?: string;
  secondary?: boolean;
  disabled: boolean;
  max: bigint | undefined;
  maxWhat: string;
  onError: (message: string | undefined) => void;
  onAmount: (value: bigint) => Promise<boolean>;
}

export function AmountForm(p: AmountFormProps) {
  const [text, setText] = useState("");
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const v = parseAmount(text, p.max, p.maxWhat);
    p.onError(v.error);
    if (!v.value) return;
    if (await p.onAmount(v.value)) setText("");
  }
  return (
    <form className="row" onSubmit={onSubmit}>
      <label>
        {p.label}
        <input inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} name={p.name} data-testid={`${p.name}-input`} placeholder={p.placeholder} />
      </label>
      <button type="submit" className={p.secondary ? "secondary" : undefined} disabled={p.disabled} data-testid={p.buttonTestId}>
        {p.button}
      </button>
    </form>
  );
}
