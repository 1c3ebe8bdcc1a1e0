// The rules every baseline schema checks, as regular expressions and lists.
export const ID = /^[^\s\u0000-\u001f\u007f]+$/u;
// https://host[:port][/path?query#fragment], or http to 127.0.0.1, localhost or [::1].
export const URL_RULE = /^(?:https:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])|http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]))(?::\d{1,5})?(?:[/?#][\x21-\x5b\x5d-\x7e]*)?$/;
export const RFC3339 = /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)$/;
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
export const INTENTS = ["AUTH", "CAPTURE"];

