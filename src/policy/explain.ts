/**
 * One-line explanations of verdicts, pure: which policy and rule allowed a connection, or which
 * policies isolate the pod and why no rule matched (with the closest rule that almost did).
 */
import { refText, type DirectionDecision, type Verdict } from './evaluate.js';

function list(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function sideWord(d: DirectionDecision): string {
  return d.direction === 'egress' ? `egress from ${d.pod}` : `ingress to ${d.pod}`;
}

function allowedText(d: DirectionDecision): string {
  if (d.isolatedBy.length === 0) return `${sideWord(d)}: not isolated (no policy selects it)`;
  return `${sideWord(d)}: allowed by ${list(d.allowedBy.map(refText))}`;
}

function deniedText(d: DirectionDecision, v: Verdict): string {
  const peer = d.direction === 'egress' ? v.to : v.from;
  const what = `${v.protocol}/${v.port} ${d.direction === 'egress' ? 'to' : 'from'} ${peer}`;
  const base = `${sideWord(d)}: isolated by ${list(d.isolatedBy)} and no ${d.direction} rule allows ${what}`;
  const miss = d.nearMisses[0];
  if (miss === undefined) return base;
  const near =
    miss.missing === 'port'
      ? `${refText(miss.rule)} matches the peer but allows only ${miss.allows}`
      : `${refText(miss.rule)} allows the port but only for ${miss.allows}`;
  return `${base} (closest: ${near})`;
}

/** The policy half of the reason: both sides when allowed, the denying side(s) otherwise. */
function policyReason(v: Verdict): string {
  if (v.policyAllowed) return `allowed — ${allowedText(v.egress)}; ${allowedText(v.ingress)}`;
  const denied = [v.egress, v.ingress].filter((d) => !d.allowed).map((d) => deniedText(d, v));
  return `denied — ${denied.join('; ')}`;
}

export function explainVerdict(v: Verdict): string {
  if (!v.self) return policyReason(v);
  const base = 'allowed — same pod: a pod cannot block access to itself';
  return v.policyAllowed ? base : `${base} (its policies alone would say: ${policyReason(v)})`;
}
