// Injected by the page tests before any page script runs. pushManager.subscribe() never
// settles offline, so this stands in for the browser's push service with a subscription
// whose keys the test generated. The "browser's" subscription survives reloads in
// localStorage, like a real one. Everything else (page, service worker, HTTP, Redis) is real.
(() => {
  const config = __CONFIG__;
  if (config.withoutPush) {
    delete window.PushManager;
    return;
  }
  const KEY = '__herald_test_subscription';
  const toBuffer = text => Uint8Array.from(
    atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=')),
    c => c.charCodeAt(0)).buffer;
  const toText = bytes => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const calls = JSON.parse(sessionStorage.getItem('__herald_test_calls') || '{"subscribe":0,"unsubscribe":0}');
  const count = name => {
    calls[name]++;
    sessionStorage.setItem('__herald_test_calls', JSON.stringify(calls));
  };

  function subscription(saved) {
    return {
      endpoint: saved.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: saved.key ? toBuffer(saved.key) : null },
      getKey: name => (name === 'p256dh' ? toBuffer(saved.p256dh) : name === 'auth' ? toBuffer(saved.auth) : null),
      toJSON: () => ({ endpoint: saved.endpoint, expirationTime: null, keys: { p256dh: saved.p256dh, auth: saved.auth } }),
      unsubscribe: async () => {
        count('unsubscribe');
        localStorage.removeItem(KEY);
        return true;
      }
    };
  }

  PushManager.prototype.getSubscription = async function () {
    const saved = localStorage.getItem(KEY);
    return saved ? subscription(JSON.parse(saved)) : null;
  };
  PushManager.prototype.permissionState = async function () {
    return Notification.permission === 'default' ? 'prompt' : Notification.permission;
  };
  PushManager.prototype.subscribe = function (options) {
    count('subscribe');
    if (Notification.permission !== 'granted') {
      return Promise.reject(new DOMException('Registration failed - permission denied', 'NotAllowedError'));
    }
    if (config.hang) {
      return new Promise(() => {});
    }
    const key = options.applicationServerKey;
    const saved = {
      endpoint: config.endpoint,
      p256dh: config.p256dh,
      auth: config.auth,
      key: typeof key === 'string' ? key : toText(key)
    };
    localStorage.setItem(KEY, JSON.stringify(saved));
    return Promise.resolve(subscription(saved));
  };
})();
