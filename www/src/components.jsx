// Small building blocks shared by the pages.
import { useId, useState } from 'react';

export function Page({ title, lead, narrow = false, children }) {
  return (
    <section className={narrow ? 'page page--narrow' : 'page'}>
      {title && <h1>{title}</h1>}
      {lead && <p className="lead">{lead}</p>}
      {children}
    </section>
  );
}

export function Card({ children, className = '' }) {
  return <div className={`card ${className}`.trim()}>{children}</div>;
}

export function Field({ label, hint, type = 'text', value, onChange, autoComplete, required = true, ...rest }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete={autoComplete}
        required={required}
        aria-describedby={hint ? hintId : undefined}
        {...rest}
      />
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export function Alert({ kind = 'error', children, testId }) {
  if (!children) return null;
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}

export function Submit({ busy, children, busyLabel = 'Please wait…' }) {
  return (
    <button type="submit" className="button button--primary" disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}

/** `[busy, error, run]`: `run(fn)` sets busy while `fn` runs and keeps the error it throws. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function run(action) {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      console.warn(caught);
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return [busy, error, run, setError];
}
