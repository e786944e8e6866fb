// Sends one contract case to one server and returns what the contract compares.
import type { Auth, ContractCase } from './cases.js';
import { send, type Target } from './http.js';
import { viewOf, type AnswerView } from './view.js';

export interface Party {
  name: 'real' | 'mock';
  target: Target;
  tokens: { admin: string; reader: string };
}

function authHeaders(party: Party, auth: Auth): Record<string, string> {
  switch (auth) {
    case 'admin':
      return { authorization: `Bearer ${party.tokens.admin}` };
    case 'reader':
      return { authorization: `Bearer ${party.tokens.reader}` };
    case 'bad-token':
      return { authorization: 'Bearer not-a-token-anyone-was-given' };
    case 'none':
      return {};
  }
}

export async function runCase(party: Party, c: ContractCase): Promise<AnswerView | AnswerView[]> {
  const request = (path: string) =>
    send(party.target, {
      method: c.method,
      path,
      headers: { ...c.headers, ...authHeaders(party, c.auth) },
      ...(c.method === 'GET' ? {} : { body: '{}' }),
    });
  if (!c.followContinue) {
    const view = viewOf(await request(c.path), c.watch === true);
    if (c.unordered && view.body && typeof view.body === 'object' && 'order' in view.body)
      delete (view.body as { order?: unknown }).order;
    return view;
  }
  // Every page, following the server's own continue tokens.
  const pages: AnswerView[] = [];
  let path = c.path;
  for (let page = 0; page < 20; page++) {
    const res = await request(path);
    pages.push(viewOf(res));
    let token: unknown;
    try {
      token = JSON.parse(res.body)?.metadata?.continue;
    } catch {
      token = undefined;
    }
    if (res.status !== 200 || typeof token !== 'string' || token === '') return pages;
    path = `${c.path}&continue=${encodeURIComponent(token)}`;
  }
  throw new Error(`${party.name}: ${c.id}: more than 20 pages`);
}
