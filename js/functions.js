// The glue's functions that the API calls, by name: so a bundle of the zero-configuration
// entries leaves out the glue's async loader, whose `new URL("sezzle_session_bg.wasm",
// import.meta.url)` would send a bundler looking for a file those entries do not use.
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
