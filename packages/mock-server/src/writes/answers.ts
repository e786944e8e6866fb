// The Status answers of the write path, worded as kube-apiserver v1.20 words them.
import type { StatusDetails } from '@cci-openapi/types';

export interface StatusAnswer {
  code: number;
  message: string;
  /** '' = no reason (a plain error); undefined = the catalogue's reason for the code. */
  reason?: string;
  details?: StatusDetails;
}

export const notFound = (resource: string, name: string): StatusAnswer => ({
  code: 404,
  reason: 'NotFound',
  message: `${resource} ${JSON.stringify(name)} not found`,
  details: { name, kind: resource },
});

export const alreadyExists = (resource: string, name: string): StatusAnswer => ({
  code: 409,
  reason: 'AlreadyExists',
  message: `${resource} ${JSON.stringify(name)} already exists`,
  details: { name, kind: resource },
});

/** The optimistic-lock failure of an update with a stale resourceVersion. */
export const conflict = (resource: string, name: string): StatusAnswer => ({
  code: 409,
  reason: 'Conflict',
  message: `Operation cannot be fulfilled on ${resource} ${JSON.stringify(name)}: the object has been modified; please apply your changes to the latest version and try again`,
  details: { name, kind: resource },
});

export const badRequest = (message: string): StatusAnswer => ({ code: 400, reason: 'BadRequest', message });
