// checkoutUrl, approvalUrl and findLink through the packed package.
import test from "node:test";
import assert from "node:assert/strict";
import { cjs, esm, fixtureJson, fixtureText } from "./packed.mjs";

const SEED_CHECKOUT = "https://checkout.sezzle.com/?id=12a34bc5-6de7-890f-g123-4hi1238jk902";

function withCheckoutUrl(url) {
  return { uuid: "s", order: { uuid: "o", checkout_url: url } };
}

function assertUnsafe(fn, path) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof esm.SezzleError);
    assert.equal(error.kind, "validation");
    assert.ok(
      error.issues.some((i) => i.code === "unsafe_url" && JSON.stringify(i.path) === JSON.stringify(path)),
      JSON.stringify(error.issues),
    );
    return true;
  });
}

test("checkoutUrl takes a Session, JSON text, bytes or a raw payload", () => {
  const text = fixtureText("valid/seed.json");
  const session = esm.parseSession(text);
  for (const input of [session, text, new TextEncoder().encode(text), fixtureJson("valid/seed.json")]) {
    assert.equal(esm.checkoutUrl(input), SEED_CHECKOUT);
  }
  assert.equal(cjs.checkoutUrl(session), SEED_CHECKOUT);
  assert.equal(esm.checkoutUrl(fixtureText("valid/eu-hosts.json")), "https://checkout.eu.sezzle.com?id=e0-order-1");
});

test("checkoutUrl is undefined without an order or without a checkout URL", () => {
  assert.equal(esm.checkoutUrl(fixtureText("valid/tokenize-only.json")), undefined);
  assert.equal(esm.checkoutUrl({ uuid: "s", order: { uuid: "o" } }), undefined);
});

test("javascript:, foreign, look-alike and userinfo checkout URLs throw unsafe_url", () => {
  for (const url of [
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/?id=1",
    "https://checkout.sezzle.com.evil.example/?id=1",
    "https://checkout.sezzle.com@evil.example/",
    "https://user:secret@checkout.sezzle.com/?id=1",
    "http://checkout.sezzle.com/?id=1",
  ]) {
    assertUnsafe(() => esm.checkoutUrl(withCheckoutUrl(url)), ["order", "checkout_url"]);
  }
});

test("allowedHosts replaces Sezzle's checkout hosts", () => {
  const own = withCheckoutUrl("https://pay.example.test/c/1");
  assert.equal(esm.checkoutUrl(own, { allowedHosts: ["pay.example.test"] }), "https://pay.example.test/c/1");
  assertUnsafe(() => esm.checkoutUrl(fixtureText("valid/seed.json"), { allowedHosts: ["pay.example.test"] }), ["order", "checkout_url"]);
});

test("bad options are invalid_argument errors", () => {
  // A host with a line break or another control character (the hosts reach the module one a
  // line: "pay.example.test\ncheckout.sezzle.com" must not become two), or longer than DNS
  // allows (253), is no host name.
  const hostile = [["pay.example.test\ncheckout.sezzle.com"], ["checkout.sezzle.com\u0000"], ["x".repeat(254)], ["a".repeat(32 * 1024 * 1024)]];
  for (const options of ["hosts", 5, { allowedHosts: "checkout.sezzle.com" }, { allowedHosts: [1] }, { allowedHosts: [""] }, ...hostile.map((allowedHosts) => ({ allowedHosts }))]) {
    assert.throws(() => esm.checkoutUrl(fixtureText("valid/seed.json"), options), (e) => e instanceof esm.SezzleError && e.kind === "invalid_argument");
  }
  // Every host name at its limits is taken: 100 of them, of 253 characters, with the right one last.
  const many = [...Array.from({ length: 99 }, (_, i) => `${"h".repeat(240)}${String(i).padStart(3, "0")}.test`.slice(-253)), "checkout.sezzle.com"];
  assert.equal(esm.checkoutUrl(fixtureText("valid/seed.json"), { allowedHosts: many }), JSON.parse(fixtureText("valid/seed.json")).order.checkout_url);
});

test("approvalUrl returns Sezzle's dashboard URL and refuses others", () => {
  assert.equal(
    esm.approvalUrl(fixtureText("valid/seed.json")),
    "https://dashboard.sezzle.com/customer/checkout-approval?merchant-request-id=3f3244fd-78ce-4994-af0c-b8c760d47794",
  );
  assert.equal(esm.approvalUrl(fixtureText("valid/order-only.json")), undefined);
  const foreign = { uuid: "s", tokenize: { token: "t", approval_url: "https://dashboard.sezzle.com.evil.example/a" } };
  assertUnsafe(() => esm.approvalUrl(foreign), ["tokenize", "approval_url"]);
});

test("findLink tells the two self links apart by method, GET by default", () => {
  const { order } = esm.parseSession(fixtureText("valid/seed.json"));
  assert.equal(esm.findLink(order.links, "self").method, "GET");
  assert.equal(esm.findLink(order.links, "self", "PATCH").method, "PATCH");
  assert.equal(esm.findLink(order.links, "self", "patch").method, "PATCH");
  assert.match(esm.findLink(order.links, "capture", "POST").href, /\/capture$/);
  assert.equal(esm.findLink(order.links, "capture"), undefined);
  assert.equal(esm.findLink([], "self"), undefined);
});

test("findLink refuses bad arguments with invalid_argument", () => {
  for (const args of [[null, "self"], ["links", "self"], [[], ""], [[], 5], [[], "self", "FETCH"]]) {
    assert.throws(() => esm.findLink(...args), (e) => e instanceof esm.SezzleError && e.kind === "invalid_argument");
  }
});

test("a session the package returned, changed since, still never gives an unsafe URL", () => {
  const session = esm.parseSession(fixtureText("valid/seed.json"));
  assert.equal(esm.checkoutUrl(session), SEED_CHECKOUT);
  session.order.checkout_url = "https://evil.example/pay";
  assertUnsafe(() => esm.checkoutUrl(session), ["order", "checkout_url"]);
  session.order.checkout_url = "javascript:alert(1)";
  assert.throws(() => esm.checkoutUrl(session), (e) => e.kind === "validation" && e.issues[0].path.join(".") === "order.checkout_url");
  session.order.checkout_url = 42; // not a string: read again as a payload, which says so
  assert.throws(() => esm.checkoutUrl(session), (e) => e.kind === "validation" && e.issues.some((i) => i.code === "invalid_type"));
  Object.defineProperty(session, "order", { get: () => { throw new Error("trap"); } });
  assert.throws(() => esm.checkoutUrl(session), (e) => e instanceof esm.SezzleError && e.kind === "validation");
  delete session.tokenize.approval_url;
  assert.equal(esm.approvalUrl(session), undefined);
});
