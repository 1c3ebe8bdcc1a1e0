// Where an issue's path is in the payload's text: the character span of the value at that
// path, or of its nearest ancestor that exists (a missing required field points at its
// object). Malformed JSON is located by the issue's line and column instead.

const WS = /[\s]/;

// Every value's span, keyed by its path written as JSON. Throws on malformed JSON.
export function spans(text) {
  const found = new Map();
  let i = 0;
  const skip = () => {
    while (i < text.length && WS.test(text[i])) i++;
  };
  const fail = () => {
    throw new SyntaxError(`unexpected input at ${i}`);
  };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i));
  };
  // The items of the object or array opening at `i`, each read by `item(index)`.
  const items = (close, item) => {
    i++;
    skip();
    if (text[i] === close) {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      item(index);
      skip();
      if (text[i] === ",") i++;
      else if (text[i] === close) {
        i++;
        return;
      } else fail();
    }
  };
  const value = (path) => {
    skip();
    const start = i;
    const c = text[i];
    if (c === "{") {
      items("}", () => {
        skip();
        if (text[i] !== '"') fail();
        const key = string();
        skip();
        if (text[i++] !== ":") fail();
        value([...path, key]);
      });
    } else if (c === "[") {
      items("]", (index) => value([...path, index]));
    } else if (c === '"') string();
    else {
      const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
      if (!m) fail();
      i += m[0].length;
    }
    found.set(JSON.stringify(path), [start, i]);
  };
  value([]);
  return found;
}

/** The span to highlight for an issue, or undefined when there is nothing to point at. */
export function locate(text, issue) {
  if (issue.line !== undefined) {
    const lines = text.split("\n");
    const line = Math.min(issue.line, lines.length);
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (issue.column ?? 1) - 1);
    return [Math.min(start, text.length), Math.min(start + 1, text.length)];
  }
  let map;
  try {
    map = spans(text);
  } catch {
    return undefined;
  }
  for (let n = issue.path.length; n >= 0; n--) {
    const span = map.get(JSON.stringify(issue.path.slice(0, n)));
    if (span) return span;
  }
  return undefined;
}
