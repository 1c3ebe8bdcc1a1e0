// The slim entry's state, shared by its parser half and its client half: the parser's API once
// init() or initSync() made it, where the client module comes from, and the client's loader
// (set by the client half when an app holds it: init({ client }) loads through it).
import { SezzleError } from "../errors.js";

export const slim = { parser: undefined, clientSource: undefined, clientHook: undefined };

export function notReady(name) {
  return new SezzleError("invalid_argument", `sezzle-session/slim: call init() or initSync() before ${name}`);
}
