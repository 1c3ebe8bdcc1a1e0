// The glue's functions that the API calls, by name: so a Node bundle leaves out the glue's
// async loader (Node passes the bytes to initSync), whose `new URL("sezzle_session_bg.wasm",
// import.meta.url)` would send a bundler looking for a file that node/ does not have.
export {
  answer_address,
  authenticate,
  client_defaults,
  get_session,
  GatewayClient,
  input_buffer,
  safe_url,
  tape_address,
  tokenize_in_order_warning,
  verdict_input,
  verdict_remarks,
  remark_words_address,
} from "sezzle-session-glue";
