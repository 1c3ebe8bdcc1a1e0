// The glue's functions that the API calls, by name: so a Node bundle leaves out the glue's
// async loader (Node passes the bytes to initSync), whose `new URL("sezzle_session_bg.wasm",
// import.meta.url)` would send a bundler looking for a file that node/ does not have.
export {
  answer_address,
  authentication_url,
  backoff_ms,
  gateway_url,
  http_failure,
  input_buffer,
  parse_authentication,
  safe_url,
  session_url,
  tape_address,
  tokenize_in_order_warning,
  verdict_input,
  verdict_remarks,
  remark_words_address,
} from "sezzle-session-glue";
