"""The official Python SDK (aliyun-python-sdk-core) against the fake's binary in stateful mode, the way the
service requires: create a registrant profile, submit its real-name verification, poll until it is verified,
register two domains with it, wait for the task, list them. Run by test-server/python/run.sh.

usage: python register_wait_list.py http://127.0.0.1:PORT
"""
import base64
import json
import sys
import time

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

endpoint = sys.argv[1]
client = AcsClient("testid", "testsecret", "cn-hangzhou")


def call(action, method="POST", body=None, **params):
    req = CommonRequest()
    req.set_domain(endpoint.split("://", 1)[1])
    req.set_protocol_type("http")
    req.set_method(method)
    req.set_version("2018-01-29")
    req.set_action_name(action)
    for key, value in params.items():
        req.add_query_param(key, str(value))
    for key, value in (body or {}).items():
        req.add_body_params(key, str(value))
    return json.loads(client.do_action_with_exception(req))


def refused(action, **params):
    """The error code the service answers, or None when it accepts the call."""
    try:
        call(action, **params)
        return None
    except ServerException as e:
        return e.get_error_code()


def check(condition, message):
    if not condition:
        print("FAILED: " + message)
        sys.exit(1)


# Validation is the service's: a missing parameter is a ServerException with the service's code.
try:
    call("QueryDomainList", PageSize=10)
    check(False, "QueryDomainList without PageNum was accepted")
except ServerException as e:
    check(e.get_error_code() == "MissingParameter", "code %s" % e.get_error_code())
    check('"PageNum"' in e.get_error_msg(), "message %s" % e.get_error_msg())

# Since 2022-03-01 a domain is registered only with a real-name-verified registrant profile.
profile = call("SaveRegistrantProfile", RegistrantType=1, RegistrantName="Li Lei", Email="li@example.com",
               DefaultRegistrantProfile="true")["RegistrantProfileId"]
code = refused("SaveSingleTaskForCreatingOrderActivate", DomainName="python-a.com")
check(code == "MissingParameter", "registered without a profile: %s" % code)
code = refused("SaveSingleTaskForCreatingOrderActivate", DomainName="python-a.com", RegistrantProfileId=profile)
check(code == "contactTemplateRealNamedNotExist", "registered with an unverified profile: %s" % code)

# The verification: a JPG or BMP of 55 KB to 1 MB, Base64, in the body (this one is shaped as a JPG, no picture:
# only the fake accepts it); the audit is decided in the fake's time, seen by listing the profile.
image = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\0" * (56 * 1024 - 6) + b"\xff\xd9").decode()
call("RegistrantProfileRealNameVerification", RegistrantProfileID=profile, IdentityCredentialType="SFZ",
     IdentityCredentialNo="110101199001011234", body={"IdentityCredential": image})
audit = []
for _ in range(10):
    listed = call("QueryRegistrantProfiles", RegistrantProfileId=profile)["RegistrantProfiles"]["RegistrantProfile"]
    audit.append(listed[0]["RealNameStatus"])
    if audit[-1] == "SUCCEED":
        break
check(audit[-1] == "SUCCEED" and audit[0] == "AUDITING", "the audit went %s" % audit)

task = call("SaveBatchTaskForCreatingOrderActivate",
            **{"OrderActivateParam.1.DomainName": "python-a.com",
               "OrderActivateParam.1.RegistrantProfileId": profile,
               "OrderActivateParam.2.DomainName": "python-b.com",
               "OrderActivateParam.2.RegistrantProfileId": profile})["TaskNo"]
check(call("QueryDomainList", PageNum=1, PageSize=10)["TotalItemNum"] == 0, "listed before the task ran")

# Wait: poll the task's details until every one has finished.
states = []
for _ in range(20):
    details = call("QueryTaskDetailList", TaskNo=task, PageNum=1, PageSize=100)["Data"]["TaskDetail"]
    states.append(sorted(d["TaskStatus"] for d in details))
    if all(d["TaskStatusCode"] in (2, 3) for d in details):
        break
    time.sleep(0.01)
check(states[-1] == ["EXECUTE_SUCCESS", "EXECUTE_SUCCESS"], "task ended as %s" % states)
check(len(states) >= 3, "the task went through its states: %s" % states)

listed = call("QueryDomainList", PageNum=1, PageSize=10, OrderByType="ASC")
names = [d["DomainName"] for d in listed["Data"]["Domain"]]
check(names == ["python-a.com", "python-b.com"], "listed %s" % names)
one = call("QueryDomainByDomainName", DomainName="python-a.com")
check(one["RegistrantName"] == "Li Lei", "registrant %s" % one.get("RegistrantName"))
print("ok: profile verified (%d listings), registered, waited (%d polls), listed %s"
      % (len(audit), len(states), ", ".join(names)))
