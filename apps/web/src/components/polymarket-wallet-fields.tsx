'use client';
// The Polymarket wallet type and its funder address. Which type a user has, and where to find the funder, is the
// shared schema's text (POLYMARKET_WALLET_TYPE_HELP); the server validates with the same schema. The funder field is
// hidden for an own wallet (EOA) once JavaScript runs; without JavaScript it stays visible and the server says when
// it is missing.
import '~/lib/zod-jitless.ts';
import { POLYMARKET_FUNDER_HELP, POLYMARKET_WALLET_TYPE_HELP } from '@polybot/schemas';
import { useEffect, useState } from 'react';
import { Field, FieldErrors, Select, useSubmitted } from './form.tsx';

const TYPES = [0, 1, 2, 3] as const;

export function PolymarketWalletFields() {
  // After a refused submit the select shows what was sent: start from that.
  const { values } = useSubmitted();
  const [type, setType] = useState<string>(values?.signatureType ?? '0');
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  return (
    <>
      <div className="field">
        <label htmlFor="signatureType">Wallet type</label>
        <Select id="signatureType" name="signatureType" defaultValue="0" onChange={setType}>
          {TYPES.map((t) => (
            <option key={t} value={String(t)}>
              {POLYMARKET_WALLET_TYPE_HELP[t].label}
            </option>
          ))}
        </Select>
        <ul className="hint">
          {TYPES.map((t) => (
            <li key={t}>
              <strong>{POLYMARKET_WALLET_TYPE_HELP[t].label}:</strong> {POLYMARKET_WALLET_TYPE_HELP[t].help}
            </li>
          ))}
        </ul>
        <FieldErrors name="signatureType" />
      </div>
      <div hidden={scripted && type === '0'}>
        <Field
          name="funderAddress"
          label="Funder address"
          autoComplete="off"
          required={type !== '0'}
          hint={POLYMARKET_FUNDER_HELP}
        />
      </div>
    </>
  );
}
