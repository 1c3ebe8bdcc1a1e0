// The slim entry's state, shared by its parser half and its client half: the parser's API once
// init() or initSync() made it, where the client module and the getSession module come from,
// and their loaders (set by the client half when an app holds them: init({ client, get })
// loads through them).
import { SezzleError } from "../errors.js";

export const slim = { parser: undefined, clientSource: undefined, clientHook: undefined, getSource: undefined, getHook: undefined };

export function notReady(name) {
  return new SezzleError("invalid_argument", `sezzle-session/slim: call init() or initSync() before ${name}`);
}
