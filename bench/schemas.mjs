// The baselines: sezzle-session's rules (README, "The rules") written in zod, valibot and ajv,
// each in its own idiom. Same checks: ids without whitespace or control characters, links of
// { href, method, rel }, URLs that are https (or http to loopback) in printable ASCII without
// a backslash, the method and intent enums, RFC 3339 expiration, tokenize at the top level or
// in order, null and absent optional blocks.
import { z } from "zod";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { ID, URL_RULE, METHODS, INTENTS } from "./rules.mjs";

export { valibotSession } from "./valibot-schema.mjs";

// --- zod ---------------------------------------------------------------------------------
// A link's absent (or null) method is GET, as Sezzle's Link schema says and the package does.
const zLink = z.object({ href: z.string().regex(URL_RULE), method: z.enum(METHODS).nullish().transform((m) => m ?? "GET"), rel: z.string().min(1) });
const zLinks = z.array(zLink).nullish().transform((l) => l ?? []);
const zTokenize = z.object({
  token: z.string().regex(ID),
  expiration: z.iso.datetime({ offset: true }).nullish(),
  approval_url: z.string().regex(URL_RULE).nullish(),
  links: zLinks,
});
const zOrder = z.object({
  uuid: z.string().regex(ID),
  intent: z.enum(INTENTS).nullish(),
  checkout_url: z.string().regex(URL_RULE).nullish(),
  links: zLinks,
  tokenize: zTokenize.nullish(),
});
export const zodSession = z
  .object({ uuid: z.string().regex(ID), links: zLinks, order: zOrder.nullish(), tokenize: zTokenize.nullish() })
  .transform(({ order, tokenize, ...session }) => {
    const { tokenize: nested, ...orderRest } = order ?? {};
    return { ...session, ...(order ? { order: orderRest } : {}), ...((tokenize ?? nested) ? { tokenize: tokenize ?? nested } : {}) };
  });

// --- ajv -----------------------------------------------------------------------------------
const id = { type: "string", pattern: ID.source };
const url = { type: ["string", "null"], pattern: URL_RULE.source };
const links = { type: ["array", "null"], items: { type: "object", required: ["href", "rel"], properties: { href: { type: "string", pattern: URL_RULE.source }, method: { enum: [...METHODS, null] }, rel: { type: "string", minLength: 1 } } } };
const tokenize = { type: ["object", "null"], required: ["token"], properties: { token: id, expiration: { type: ["string", "null"], format: "date-time" }, approval_url: url, links } };
const ajv = new Ajv({ allErrors: true, unicodeRegExp: true });
addFormats(ajv, ["date-time"]);
export const ajvSession = ajv.compile({
  type: "object",
  required: ["uuid"],
  properties: {
    uuid: id,
    links,
    tokenize,
    order: { type: ["object", "null"], required: ["uuid"], properties: { uuid: id, intent: { enum: [...INTENTS, null] }, checkout_url: url, links, tokenize } },
  },
});
