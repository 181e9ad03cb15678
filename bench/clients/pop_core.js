// QueryDomainList in a loop with the official Node SDK (@alicloud/pop-core); prints calls/s and CPU us/call.
const RPCClient = require('@alicloud/pop-core').RPCClient;
const [endpoint, calls] = [process.argv[2], parseInt(process.argv[3], 10)];
const client = new RPCClient({ accessKeyId: 'testid', accessKeySecret: 'testsecret', endpoint, apiVersion: '2018-01-29' });
const once = () => client.request('QueryDomainList', { PageNum: 1, PageSize: 20 }, { method: 'POST', formatParams: false });
(async () => {
  for (let i = 0; i < Math.floor(calls / 10) + 1; i++) await once();
  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await once();
  const c = process.cpuUsage(c0); const w = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${(calls / w).toFixed(0)} ${((c.user + c.system) / calls).toFixed(1)}`);
})().catch((e) => { console.error(e.message); process.exit(1); });
