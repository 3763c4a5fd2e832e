// Sends events to a running OpenAudience with the official mParticle Node SDK (npm "mparticle" 1.0.8).
// Usage: node send-with-mparticle-sdk.js <basePath, e.g. http://localhost:8080/v2> <api key> <api secret> <run id>
//        [mode: "events" (default) | "fault"]
// "fault" sends batches whose custom event is named FAULT_EVENT, which the Java test makes the database refuse,
// to show what the SDK reports for a server fault.
// Prints one JSON line per request (the SDK's outcome and error, the answer's status and error code) and exits
// non-zero when any request is not accepted.
'use strict';
const mParticle = require('mparticle');

const FAULT_EVENT = 'SDK Server Fault';
const [basePath, apiKey, apiSecret, runId, mode = 'events'] = process.argv.slice(2);
const api = new mParticle.EventsApi(new mParticle.Configuration(apiKey, apiSecret));
api.apiClient.basePath = basePath;

function userBatch(customerId, email, status, eventName = 'Play Video') {
  const batch = new mParticle.Batch(mParticle.Batch.Environment.development);
  const identities = new mParticle.UserIdentities();
  identities.customerid = customerId;
  identities.email = email;
  batch.user_identities = identities;
  batch.user_attributes = { status: status, $country: 'FR', $city: 'Paris', interests: ['beach', 'museums'] };
  const device = new mParticle.DeviceInformation();
  device.ios_idfv = 'sdk-idfv-' + customerId;
  device.platform = 'iOS';
  batch.device_info = device;

  const start = new mParticle.SessionStartEvent();
  start.session_id = 1;
  start.timestamp_unixtime_ms = Date.now() - 60000;
  batch.addEvent(start);

  const play = new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.navigation, eventName);
  play.custom_attributes = { category: 'Destination Intro', destination: 'Paris', duration_seconds: '42' };
  batch.addEvent(play);

  const screen = new mParticle.ScreenViewEvent();
  screen.screen_name = 'Destination Detail';
  batch.addEvent(screen);

  const product = new mParticle.Product();
  product.name = 'Hotel in Paris';
  product.id = 'H-PARIS';
  product.price = 199.5;
  const action = new mParticle.ProductAction('purchase');
  action.products = [product];
  action.total_amount = 199.5;
  action.transaction_id = 'T-' + customerId;
  const commerce = new mParticle.CommerceEvent();
  commerce.product_action = action;
  batch.addEvent(commerce);

  const end = new mParticle.SessionEndEvent();
  end.session_id = 1;
  end.session_duration_ms = 60000;
  batch.addEvent(end);
  return batch;
}


function send(name, call) {
  return new Promise((resolve) => {
    call((error, data, response) => {
      const status = response ? response.status : null;
      const errors = response && response.body && response.body.errors;
      // outcome is the SDK's own verdict: its callback got an error or not
      console.log(JSON.stringify({ request: name, status: status, outcome: error ? 'failure' : 'success',
        error: error ? String(error) : null, code: errors && errors.length ? errors[0].code : null }));
      resolve(status === 202);
    });
  });
}

(async () => {
  const eventName = mode === 'fault' ? FAULT_EVENT : 'Play Video';
  const single = userBatch('sdk-single-' + runId, 'single-' + runId + '@sdk.example', 'Premium', eventName);
  const bulk = [1, 2, 3].map((i) => userBatch('sdk-bulk-' + i + '-' + runId, 'bulk' + i + '-' + runId + '@sdk.example',
    i === 1 ? 'Trial' : 'Free', eventName));
  const results = [
    await send('single', (cb) => api.uploadEvents(single, cb)),
    await send('bulk', (cb) => api.bulkUploadEvents(bulk, cb)),
  ];
  process.exit(results.every(Boolean) ? 0 : 1);
})();
