// The valibot baseline (browser-loadable, so Chromium runs it too).
import * as v from "valibot";
import { ID, URL_RULE, RFC3339, METHODS, INTENTS } from "./rules.mjs";

// A link's absent (or null) method is GET, as Sezzle's Link schema says and the package does.
const vLink = v.object({ href: v.pipe(v.string(), v.regex(URL_RULE)), method: v.pipe(v.nullish(v.picklist(METHODS)), v.transform((m) => m ?? "GET")), rel: v.pipe(v.string(), v.minLength(1)) });
const vLinks = v.pipe(v.nullish(v.array(vLink)), v.transform((l) => l ?? []));
const vTokenize = v.object({
  token: v.pipe(v.string(), v.regex(ID)),
  expiration: v.nullish(v.pipe(v.string(), v.regex(RFC3339))),
  approval_url: v.nullish(v.pipe(v.string(), v.regex(URL_RULE))),
  links: vLinks,
});
const vOrder = v.object({
  uuid: v.pipe(v.string(), v.regex(ID)),
  intent: v.nullish(v.picklist(INTENTS)),
  checkout_url: v.nullish(v.pipe(v.string(), v.regex(URL_RULE))),
  links: vLinks,
  tokenize: v.nullish(vTokenize),
});
export const valibotSession = v.pipe(
  v.object({ uuid: v.pipe(v.string(), v.regex(ID)), links: vLinks, order: v.nullish(vOrder), tokenize: v.nullish(vTokenize) }),
  v.transform(({ order, tokenize, ...session }) => {
    const { tokenize: nested, ...orderRest } = order ?? {};
    return { ...session, ...(order ? { order: orderRest } : {}), ...((tokenize ?? nested) ? { tokenize: tokenize ?? nested } : {}) };
  }),
);

