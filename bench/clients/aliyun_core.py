"""QueryDomainList in a loop with the official Python SDK (aliyun-python-sdk-core); prints calls/s and CPU us/call."""
import resource, sys, time
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

endpoint, calls = sys.argv[1], int(sys.argv[2])
client = AcsClient("testid", "testsecret", "cn-hangzhou")

def once():
    req = CommonRequest()
    req.set_domain(endpoint.split("://", 1)[1])
    req.set_protocol_type("http")
    req.set_method("POST")
    req.set_version("2018-01-29")
    req.set_action_name("QueryDomainList")
    req.add_query_param("PageNum", "1")
    req.add_query_param("PageSize", "20")
    client.do_action_with_exception(req)

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime + r.ru_stime) * 1e6

for _ in range(calls // 10 + 1):
    once()
c0, t0 = cpu(), time.perf_counter()
for _ in range(calls):
    once()
c, w = cpu() - c0, time.perf_counter() - t0
print(f"{calls / w:.0f} {c / calls:.1f}")
