import { explain } from 'hooksig'

// Why does a delivery fail? Log this while setting an endpoint up; answer the sender with verify's code only.
export function diagnose(secret, headers, body) {
  const { verdict, findings } = explain('github', [secret], headers, body)
  return [verdict, ...findings.map((f) => `${f.code}: ${f.message}`)]
}
