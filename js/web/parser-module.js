// The parser module's instance for web/workerd.js, made once on import from the module the
// runtime hands over compiled (no bytes are compiled here: js/web/workerd.js says why).
import parserModule from "./sezzle_session_bg.wasm";
import { createGlue } from "sezzle-session-glue";
import { createParserApi } from "../api.js";
import { loadError } from "../errors.js";

function load() {
  try {
    return createParserApi(createGlue, parserModule);
  } catch (error) {
    throw loadError(error, "internal");
  }
}

export const parser = load();
