// What the default browser entry's client parts share: the client module's loader, once an
// app holds authenticate or SezzleClient (index-client.js sets it). getSession's first call
// takes the client module when it is already loaded or on its way (index-get.js), rather than
// fetch the getSession module besides: an app that made a SezzleClient first loads one module.
export const shared = { client: undefined };
