//! The stateful fake's answers: what each action a registrar's code drives does to the [`Account`] and what it
//! answers, in the service's JSON shapes. Actions not listed in [`STATEFUL_ACTIONS`] answer their reference
//! example.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::account::{
    format_date, Account, DetailStatus, DnsHost, Domain, DsRecord, Effect, EmailVerification, Group, Millis, Profile,
    RealNameVerification, Task, TaskDetail, DAY,
};
use crate::validate::list_index;

/// The actions the stateful mode answers from the account (sorted); every other action answers its reference
/// example.
pub const STATEFUL_ACTIONS: &[&str] = &[
    "AcknowledgeTaskResult",
    "CancelTask",
    "ChangeResourceGroup",
    "CheckDomain",
    "DeleteDomainGroup",
    "DeleteEmailVerification",
    "DeleteRegistrantProfile",
    "ListEmailVerification",
    "ListServerLock",
    "PollTaskResult",
    "QueryAdvancedDomainList",
    "QueryContactInfo",
    "QueryDSRecord",
    "QueryDnsHost",
    "QueryDomainByDomainName",
    "QueryDomainByInstanceId",
    "QueryDomainGroupList",
    "QueryDomainList",
    "QueryDomainRealNameVerificationInfo",
    "QueryEmailVerification",
    "QueryFailReasonForDomainRealNameVerification",
    "QueryRegistrantProfiles",
    "QueryServerLock",
    "QueryTaskDetailHistory",
    "QueryTaskDetailList",
    "QueryTaskInfoHistory",
    "QueryTaskList",
    "QueryTransferInByInstanceId",
    "QueryTransferInList",
    "QueryTransferOutInfo",
    "RegistrantProfileRealNameVerification",
    "ResendEmailVerification",
    "SaveBatchDomainRemark",
    "SaveBatchTaskForCreatingOrderActivate",
    "SaveBatchTaskForCreatingOrderRedeem",
    "SaveBatchTaskForCreatingOrderRenew",
    "SaveBatchTaskForCreatingOrderTransfer",
    "SaveBatchTaskForDomainNameProxyService",
    "SaveBatchTaskForModifyingDomainDns",
    "SaveBatchTaskForTransferOutByAuthorizationCode",
    "SaveBatchTaskForTransferProhibitionLock",
    "SaveBatchTaskForUpdateProhibitionLock",
    "SaveBatchTaskForUpdatingContactInfoByNewContact",
    "SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId",
    "SaveDomainGroup",
    "SaveRegistrantProfile",
    "SaveSingleTaskForAddingDSRecord",
    "SaveSingleTaskForCancelingTransferIn",
    "SaveSingleTaskForCancelingTransferOut",
    "SaveSingleTaskForCreatingDnsHost",
    "SaveSingleTaskForCreatingOrderActivate",
    "SaveSingleTaskForCreatingOrderRedeem",
    "SaveSingleTaskForCreatingOrderRenew",
    "SaveSingleTaskForCreatingOrderTransfer",
    "SaveSingleTaskForDeletingDSRecord",
    "SaveSingleTaskForDeletingDnsHost",
    "SaveSingleTaskForDomainNameProxyService",
    "SaveSingleTaskForModifyingDSRecord",
    "SaveSingleTaskForModifyingDnsHost",
    "SaveSingleTaskForQueryingTransferAuthorizationCode",
    "SaveSingleTaskForTransferOutByAuthorizationCode",
    "SaveSingleTaskForTransferProhibitionLock",
    "SaveSingleTaskForUpdateProhibitionLock",
    "SaveSingleTaskForUpdatingContactInfo",
    "SaveTaskForSubmittingDomainDelete",
    "SaveTaskForSubmittingDomainRealNameVerificationByIdentityCredential",
    "SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID",
    "SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID",
    "ScrollDomainList",
    "SetDefaultRegistrantProfile",
    "SetupDomainAutoRenew",
    "SubmitEmailVerification",
    "UpdateDomainToDomainGroup",
    "VerifyEmail",
];

/// An error the service answers (HTTP 400 unless said otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// HTTP status.
    pub status: u16,
    /// The error code.
    pub code: String,
    /// The message.
    pub message: String,
}

fn fault(code: &str, message: impl Into<String>) -> Fault {
    Fault {
        status: 400,
        code: code.to_owned(),
        message: message.into(),
    }
}

fn no_domain(name: &str) -> Fault {
    fault("DomainNotExist", format!("The domain name does not exist: {name}."))
}

/// A request's parameters, already validated against the action's table (so types are right).
pub struct Params<'a>(pub &'a BTreeMap<String, String>);

impl Params<'_> {
    fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }
    fn text(&self, name: &str) -> String {
        self.str(name).unwrap_or_default().to_owned()
    }
    fn int(&self, name: &str) -> Option<i64> {
        self.str(name).and_then(|v| v.parse().ok())
    }
    fn bool(&self, name: &str) -> Option<bool> {
        self.str(name).map(|v| v.eq_ignore_ascii_case("true"))
    }
    /// `name.1`, `name.2`, … in index order.
    fn list(&self, name: &str) -> Vec<String> {
        let items: BTreeMap<u32, &String> = self
            .0
            .iter()
            .filter_map(|(k, v)| match list_index(k, name)? {
                (index, "") => Some((index, v)),
                _ => None,
            })
            .collect();
        items.into_values().cloned().collect()
    }
    /// `name.N.Field` items in index order, each a map of its fields.
    fn structs(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        let mut items: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
        for (k, v) in self.0 {
            let Some((index, tail)) = list_index(k, name) else {
                continue;
            };
            if let Some(field) = tail.strip_prefix('.') {
                items.entry(index).or_default().insert(field.to_owned(), v.clone());
            }
        }
        items.into_values().collect()
    }
    /// `PageSize` (1 to 1000), `default` without one.
    fn size(&self, default: i64) -> usize {
        usize::try_from(self.int("PageSize").unwrap_or(default).clamp(1, 1000)).unwrap_or(1)
    }
    /// `PageNum` (from 1) and `PageSize` (10 by default).
    fn page(&self) -> (usize, usize) {
        let num = self.int("PageNum").unwrap_or(1).max(1);
        (usize::try_from(num).unwrap_or(1), self.size(10))
    }
}

/// Answers `action` from the account; `None` for an action the stateful mode does not model.
pub fn answer(account: &mut Account, action: &str, params: &BTreeMap<String, String>) -> Option<Result<Value, Fault>> {
    let p = &Params(params);
    account.settle();
    let a = account;
    Some(match action {
        "CheckDomain" => check_domain(a, p),
        "QueryDomainList" => query_domain_list(a, p),
        "QueryAdvancedDomainList" => Ok(advanced_list(a, p, false)),
        "ScrollDomainList" => Ok(advanced_list(a, p, true)),
        "QueryDomainByDomainName" => {
            let name = p.text("DomainName");
            a.domain(&name)
                .map(|d| domain_detail(a, d))
                .ok_or_else(|| no_domain(&name))
        }
        "QueryDomainByInstanceId" => {
            let id = p.text("InstanceId");
            a.domain_by_instance(&id)
                .map(|d| domain_detail(a, d))
                .ok_or_else(|| no_domain(&id))
        }
        "SaveBatchDomainRemark" => {
            let remark = p.text("Remark");
            let ids: Vec<String> = p.text("InstanceIds").split(',').map(|s| s.trim().to_owned()).collect();
            if let Some(missing) = ids.iter().find(|id| a.domain_by_instance(id).is_none()) {
                return Some(Err(no_domain(missing)));
            }
            for d in a.domains.iter_mut().filter(|d| ids.contains(&d.instance_id)) {
                d.remark = remark.clone();
            }
            Ok(json!({}))
        }
        "SetupDomainAutoRenew" => {
            let id = p.text("InstanceId");
            let on = !p.text("Operation").eq_ignore_ascii_case("CANCEL");
            match a.domains.iter_mut().find(|d| d.instance_id == id) {
                Some(d) => {
                    d.auto_renew = on;
                    Ok(json!({"Result": true}))
                }
                None => Err(no_domain(&id)),
            }
        }
        "SaveSingleTaskForCreatingOrderActivate" => {
            let item = p.0.clone();
            add_domains(a, action, p, vec![item], false)
        }
        "SaveBatchTaskForCreatingOrderActivate" => {
            let items = p.structs("OrderActivateParam");
            add_domains(a, action, p, items, false)
        }
        "SaveSingleTaskForCreatingOrderTransfer" => {
            let item = p.0.clone();
            add_domains(a, action, p, vec![item], true)
        }
        "SaveBatchTaskForCreatingOrderTransfer" => {
            let items = p.structs("OrderTransferParam");
            add_domains(a, action, p, items, true)
        }
        "SaveSingleTaskForCreatingOrderRenew" => {
            let item = p.0.clone();
            renew(a, action, p, vec![item], false)
        }
        "SaveBatchTaskForCreatingOrderRenew" => {
            let items = p.structs("OrderRenewParam");
            renew(a, action, p, items, false)
        }
        "SaveSingleTaskForCreatingOrderRedeem" => {
            let item = p.0.clone();
            renew(a, action, p, vec![item], true)
        }
        "SaveBatchTaskForCreatingOrderRedeem" => {
            let items = p.structs("OrderRedeemParam");
            renew(a, action, p, items, true)
        }
        "SaveTaskForSubmittingDomainDelete" => {
            let id = p.text("InstanceId");
            match a.domain_by_instance(&id).map(|d| d.name.clone()) {
                Some(name) => on_domains(a, action, "DELETE_DOMAIN", p, vec![name], |_| Effect::Delete),
                None => Err(no_domain(&id)),
            }
        }
        "SaveSingleTaskForQueryingTransferAuthorizationCode" => {
            let name = p.text("DomainName");
            if a.busy(&name) {
                return Some(Err(fault(
                    "TaskIsBeingProcessed",
                    "An operation is being processed. Please try again later.",
                )));
            }
            on_domains(a, action, "TRANSFER_AUTHORIZATION_CODE", p, vec![name], |_| {
                Effect::IssueTransferCode
            })
        }
        "SaveSingleTaskForCancelingTransferOut" => {
            let name = p.text("DomainName");
            on_domains(a, action, "CANCEL_TRANSFER_OUT", p, vec![name], |_| {
                Effect::CancelTransferOut
            })
        }
        "SaveSingleTaskForTransferOutByAuthorizationCode" => {
            let (name, code) = (p.text("DomainName"), p.text("AuthorizationCode"));
            on_domains(a, action, "TRANSFER_OUT", p, vec![name], |_| Effect::TransferOut {
                code: code.clone(),
            })
        }
        "SaveBatchTaskForTransferOutByAuthorizationCode" => {
            let items = p.structs("TransferOutParamList");
            let codes: BTreeMap<String, String> = items
                .iter()
                .map(|i| {
                    (
                        field(i, "DomainName").to_ascii_lowercase(),
                        field(i, "AuthorizationCode"),
                    )
                })
                .collect();
            let names = items.iter().map(|i| field(i, "DomainName")).collect();
            on_domains(a, action, "TRANSFER_OUT", p, names, |name| Effect::TransferOut {
                code: codes.get(&name.to_ascii_lowercase()).cloned().unwrap_or_default(),
            })
        }
        "SaveBatchTaskForModifyingDomainDns" => {
            let servers = p.list("DomainNameServer");
            let aliyun = p.bool("AliyunDns").unwrap_or(false);
            if !aliyun && servers.len() < 2 {
                return Some(Err(fault(
                    "InvalidParameter",
                    "The specified value of parameter \"DomainNameServer.N\" is not valid: at least two name servers are needed unless AliyunDns is true.",
                )));
            }
            let names = p.list("DomainName");
            on_domains(a, action, "CHG_DNS", p, names, |_| Effect::SetDns {
                servers: if aliyun { Vec::new() } else { servers.clone() },
                aliyun,
            })
        }
        "SaveSingleTaskForUpdateProhibitionLock" | "SaveBatchTaskForUpdateProhibitionLock" => {
            let on = p.bool("Status").unwrap_or(false);
            let names = names_of(p);
            on_domains(a, action, "SET_UPDATE_PROHIBITED", p, names, |_| Effect::UpdateLock {
                on,
            })
        }
        "SaveSingleTaskForTransferProhibitionLock" | "SaveBatchTaskForTransferProhibitionLock" => {
            let on = p.bool("Status").unwrap_or(false);
            let names = names_of(p);
            on_domains(a, action, "SET_TRANSFER_PROHIBITED", p, names, |_| {
                Effect::TransferLock { on }
            })
        }
        "SaveSingleTaskForDomainNameProxyService" | "SaveBatchTaskForDomainNameProxyService" => {
            let on = p.bool("Status").unwrap_or(false);
            let names = names_of(p);
            on_domains(a, action, "SET_WHOIS_PROTECT", p, names, |_| Effect::Privacy { on })
        }
        "SaveSingleTaskForCreatingDnsHost"
        | "SaveSingleTaskForModifyingDnsHost"
        | "SaveSingleTaskForDeletingDnsHost" => dns_host(a, action, p),
        "QueryDnsHost" => {
            let id = p.text("InstanceId");
            a.domain_by_instance(&id).ok_or_else(|| no_domain(&id)).map(|d| {
                let hosts: Vec<Value> = d
                    .dns_hosts
                    .iter()
                    .map(|h| json!({"DnsName": h.name, "IpList": h.ips}))
                    .collect();
                json!({ "DnsHostList": hosts })
            })
        }
        "SaveSingleTaskForAddingDSRecord"
        | "SaveSingleTaskForModifyingDSRecord"
        | "SaveSingleTaskForDeletingDSRecord" => ds_record(a, action, p),
        "QueryDSRecord" => {
            let name = p.text("DomainName");
            a.domain(&name).ok_or_else(|| no_domain(&name)).map(|d| {
                let records: Vec<Value> = d
                    .ds_records
                    .iter()
                    .map(|r| json!({"KeyTag": r.key_tag, "Algorithm": r.algorithm, "DigestType": r.digest_type, "Digest": r.digest}))
                    .collect();
                json!({ "DSRecordList": records })
            })
        }
        "ListServerLock" => {
            let name = p.text("DomainName");
            let locks: Vec<Value> = a
                .domains
                .iter()
                .filter(|d| d.registry_lock && (name.is_empty() || d.name.contains(&name)))
                .map(server_lock)
                .collect();
            let (num, size) = p.page();
            Ok(paged_bare(locks, num, size))
        }
        "QueryServerLock" => {
            let id = p.text("InstanceId");
            a.domains
                .iter()
                .find(|d| d.registry_lock && lock_id(d) == id)
                .map(server_lock)
                .ok_or_else(|| fault("ServerLockNotExist", format!("There is no registry lock {id}.")))
        }
        "QueryTaskList" => Ok(query_task_list(a, p)),
        "QueryTaskDetailList" => query_task_details(a, p),
        "QueryTaskInfoHistory" => Ok(task_info_history(a, p)),
        "QueryTaskDetailHistory" => task_detail_history(a, p),
        "PollTaskResult" => Ok(poll_task_result(a, p)),
        "AcknowledgeTaskResult" => {
            let wanted = p.list("TaskDetailNo");
            let mut count = 0;
            for d in a.tasks.iter_mut().flat_map(|t| &mut t.details) {
                if wanted.contains(&d.detail_no) && d.status.is_final() {
                    d.acknowledged = true;
                    count += 1;
                }
            }
            Ok(json!({ "Result": count }))
        }
        "CancelTask" => {
            let no = p.text("TaskNo");
            let now = a.now;
            match a.tasks.iter_mut().find(|t| t.task_no == no) {
                Some(t) => {
                    t.canceled = true;
                    for d in t.details.iter_mut().filter(|d| !d.status.is_final()) {
                        d.status = DetailStatus::Failed {
                            code: "TaskCanceled".into(),
                            reason: "The task was canceled.".into(),
                        };
                        d.updated = now;
                    }
                    Ok(
                        json!({"code": "200", "name": "TaskCancellSuccess", "message": "success",
                        "data": {"Code": "200", "Message": "success"}}),
                    )
                }
                None => Err(no_task(&no)),
            }
        }
        "SaveRegistrantProfile" => save_profile(a, p),
        "SaveSingleTaskForUpdatingContactInfo" => {
            let (kind, lock) = (p.text("ContactType"), p.bool("AddTransferLock") == Some(true));
            update_contact(a, action, p, &kind, vec![p.text("DomainName")], lock)
        }
        "SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId"
        | "SaveBatchTaskForUpdatingContactInfoByNewContact" => {
            let (kind, lock) = (p.text("ContactType"), p.bool("TransferOutProhibited") == Some(true));
            update_contact(a, action, p, &kind, p.list("DomainName"), lock)
        }
        "SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID" => {
            let lock = p.bool("TransferOutProhibited") == Some(true);
            update_contact(a, action, p, "registrant", p.list("DomainName"), lock)
        }
        "QueryContactInfo" => contact_info(a, p),
        "QueryTransferInList" => Ok(transfer_in_list(a, p)),
        "SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID" => {
            let id = p.int("RegistrantProfileId").unwrap_or_default();
            if !a.profiles.iter().any(|x| x.id == id) {
                return Some(Err(no_profile(id)));
            }
            let submission = RealNameVerification {
                profile_id: Some(id),
                submitted: a.now,
                ..RealNameVerification::default()
            };
            let name = match a.domain_by_instance(&p.text("InstanceId")) {
                Some(d) => d.name.clone(),
                None => p.text("DomainName"),
            };
            verify_real_name(a, action, p, vec![name], submission).map(|mut v| {
                v["Success"] = json!(true);
                v
            })
        }
        "SaveTaskForSubmittingDomainRealNameVerificationByIdentityCredential" => {
            let submission = RealNameVerification {
                credential_type: p.text("IdentityCredentialType"),
                credential_no: p.text("IdentityCredentialNo"),
                credential: p.text("IdentityCredential"),
                profile_id: None,
                submitted: a.now,
            };
            verify_real_name(a, action, p, p.list("DomainName"), submission)
        }
        "QueryDomainRealNameVerificationInfo" => {
            let name = p.text("DomainName");
            let d = match a.domain(&name) {
                Some(d) => d,
                None => return Some(Err(no_domain(&name))),
            };
            let v = d.real_name_verification.clone().unwrap_or_default();
            let image = if p.bool("FetchImage") == Some(true) {
                v.credential.clone()
            } else {
                String::new()
            };
            Ok(json!({
                "DomainName": d.name,
                "InstanceId": d.instance_id,
                "IdentityCredentialType": v.credential_type,
                "IdentityCredentialNo": v.credential_no,
                "IdentityCredential": image,
                "IdentityCredentialUrl": "",
                "SubmissionDate": if v.submitted == 0 { String::new() } else { format_date(v.submitted) },
            }))
        }
        "QueryFailReasonForDomainRealNameVerification" => {
            let name = p.text("DomainName");
            let records: Vec<Value> = details_of(a, &name)
                .filter(|(_, d)| matches!(d.effect, Effect::VerifyRealName { .. }))
                .filter_map(|(_, d)| match &d.status {
                    DetailStatus::Failed { reason, .. } => Some(json!({
                        "Date": format_date(d.updated),
                        "DomainNameVerificationStatus": "FAILED",
                        "FailReason": reason,
                    })),
                    _ => None,
                })
                .collect();
            Ok(json!({ "Data": { "FailRecord": records } }))
        }
        "QueryTransferOutInfo" => transfer_out_info(a, &p.text("DomainName")),
        "QueryTransferInByInstanceId" => {
            let id = p.text("InstanceId");
            let found = transfers_in(a).find(|(_, d, _)| d.instance_id == id);
            found
                .map(|(t, d, x)| transfer_in_item(a, t, d, x))
                .ok_or_else(|| no_transfer_in(&id))
        }
        "SaveSingleTaskForCancelingTransferIn" => {
            let name = p.text("DomainName").to_ascii_lowercase();
            let now = a.now;
            let pending = transfers_in(a)
                .find(|(_, d, _)| !d.status.is_final() && d.domain.eq_ignore_ascii_case(&name))
                .map(|(_, d, _)| d.detail_no.clone());
            let mut details = a.tasks.iter_mut().flat_map(|t| t.details.iter_mut());
            let pending = pending.and_then(|no| details.find(|d| d.detail_no == no));
            match pending {
                Some(d) => {
                    d.status = DetailStatus::Failed {
                        code: "TaskCanceled".into(),
                        reason: "You have canceled this domain name transfer in.".into(),
                    };
                    d.updated = now;
                    let no = a.create_task(
                        action,
                        "CANCEL_TRANSFER_IN",
                        &p.text("UserClientIp"),
                        vec![(name, String::new(), Effect::None)],
                    );
                    Ok(task_created(no))
                }
                None => Err(no_transfer_in(&name)),
            }
        }
        "ChangeResourceGroup" => {
            let id = p.text("ResourceId");
            match a
                .domains
                .iter_mut()
                .find(|d| d.instance_id == id || d.name.eq_ignore_ascii_case(&id))
            {
                Some(d) => {
                    d.resource_group_id = p.text("NewResourceGroupId");
                    Ok(json!({"Result": "true"}))
                }
                None => Err(no_domain(&id)),
            }
        }
        "DeleteRegistrantProfile" => {
            let id = p.int("RegistrantProfileId").unwrap_or_default();
            if a.domains.iter().any(|d| d.registrant_profile_id == Some(id)) {
                return Some(Err(fault(
                    "RegistrantProfileInUse",
                    format!("The registrant profile {id} is used by a domain name of the account."),
                )));
            }
            let before = a.profiles.len();
            a.profiles.retain(|x| x.id != id);
            if a.profiles.len() == before {
                Err(no_profile(id))
            } else {
                Ok(json!({}))
            }
        }
        "SetDefaultRegistrantProfile" => {
            let id = p.int("RegistrantProfileId").unwrap_or_default();
            if !a.profiles.iter().any(|x| x.id == id) {
                return Some(Err(no_profile(id)));
            }
            for x in &mut a.profiles {
                x.default = x.id == id;
            }
            Ok(json!({}))
        }
        "QueryRegistrantProfiles" => Ok(query_profiles(a, p)),
        "RegistrantProfileRealNameVerification" => {
            let id = p.int("RegistrantProfileID").unwrap_or_default();
            match a.profiles.iter_mut().find(|x| x.id == id) {
                Some(x) if x.real_name_status == "SUCCEED" => Err(fault(
                    "RegistrantProfileAlreadyAudited",
                    format!("The registrant profile {id} is verified already."),
                )),
                Some(x) => {
                    x.real_name_status = "AUDITING".into();
                    Ok(json!({}))
                }
                None => Err(no_profile(id)),
            }
        }
        "SaveDomainGroup" => save_group(a, p),
        "DeleteDomainGroup" => {
            let id = p.text("DomainGroupId");
            if !a.groups.iter().any(|g| g.id == id) {
                return Some(Err(no_group(&id)));
            }
            a.groups.retain(|g| g.id != id);
            for d in a
                .domains
                .iter_mut()
                .filter(|d| d.group_id.as_deref() == Some(id.as_str()))
            {
                d.group_id = None;
            }
            Ok(json!({}))
        }
        "QueryDomainGroupList" => {
            let name = p.text("DomainGroupName");
            let groups: Vec<Value> = a
                .groups
                .iter()
                .filter(|g| name.is_empty() || g.name.contains(&name))
                .map(|g| group_json(a, g))
                .collect();
            Ok(json!({"Data": {"DomainGroup": groups}}))
        }
        "UpdateDomainToDomainGroup" => {
            let id = p.text("DomainGroupId");
            if !a.groups.iter().any(|g| g.id == id) {
                return Some(Err(no_group(&id)));
            }
            let names = p.list("DomainName");
            if let Some(missing) = names.iter().find(|n| a.domain(n).is_none()) {
                return Some(Err(no_domain(missing)));
            }
            let replace = p.bool("Replace").unwrap_or(false);
            for d in &mut a.domains {
                let listed = names.iter().any(|n| n.eq_ignore_ascii_case(&d.name));
                if listed {
                    d.group_id = Some(id.clone());
                } else if replace && d.group_id.as_deref() == Some(id.as_str()) {
                    d.group_id = None;
                }
            }
            Ok(json!({}))
        }
        "SubmitEmailVerification" | "ResendEmailVerification" => Ok(submit_email(a, p, action)),
        "QueryEmailVerification" => {
            let email = p.text("Email");
            a.email_verifications
                .iter()
                .find(|e| e.email.eq_ignore_ascii_case(&email))
                .map(email_json)
                .ok_or_else(|| no_email(&email))
        }
        "ListEmailVerification" => {
            let email = p.text("Email");
            let status = p.int("VerificationStatus");
            let items: Vec<Value> = a
                .email_verifications
                .iter()
                .filter(|e| email.is_empty() || e.email.contains(&email))
                .filter(|e| status.is_none_or(|s| (s == 1) == e.verified))
                .map(email_json)
                .collect();
            let (num, size) = p.page();
            Ok(paged_bare(items, num, size))
        }
        "DeleteEmailVerification" => {
            let email = p.text("Email");
            let before = a.email_verifications.len();
            a.email_verifications.retain(|e| !e.email.eq_ignore_ascii_case(&email));
            if a.email_verifications.len() == before {
                Ok(
                    json!({"SuccessList": [], "FailList": [send_result(&email, "EmailVerificationNotExist", "The email address has no verification.")]}),
                )
            } else {
                Ok(json!({"SuccessList": [send_result(&email, "Success", "Deleted.")], "FailList": []}))
            }
        }
        "VerifyEmail" => {
            let token = p.text("Token");
            let now = a.now;
            match a.email_verifications.iter_mut().find(|e| e.token == token) {
                Some(e) => {
                    e.verified = true;
                    e.verified_at = Some(now);
                    let email = e.email.clone();
                    for x in a.profiles.iter_mut().filter(|x| x.email.eq_ignore_ascii_case(&email)) {
                        x.email_verified = true;
                    }
                    Ok(json!({}))
                }
                None => Err(fault("InvalidToken", "The verification token is not valid.")),
            }
        }
        _ => return None,
    })
}

fn field(item: &BTreeMap<String, String>, name: &str) -> String {
    item.get(name).cloned().unwrap_or_default()
}

fn names_of(p: &Params<'_>) -> Vec<String> {
    match p.str("DomainName") {
        Some(one) => vec![one.to_owned()],
        None => p.list("DomainName"),
    }
}

fn no_task(no: &str) -> Fault {
    fault("TaskNotExist", format!("The task {no} does not exist."))
}

fn no_profile(id: i64) -> Fault {
    fault(
        "RegistrantProfileNotExist",
        format!("The registrant profile {id} does not exist."),
    )
}

fn no_transfer_out(name: &str) -> Fault {
    fault("TransferOutNotExist", format!("There is no transfer out of {name}."))
}

fn no_transfer_in(what: &str) -> Fault {
    fault(
        "TransferInNotExist",
        format!("There is no transfer in of {what} to act on."),
    )
}

fn no_group(id: &str) -> Fault {
    fault("DomainGroupNotExist", format!("The domain group {id} does not exist."))
}

fn no_email(email: &str) -> Fault {
    fault(
        "EmailVerificationNotExist",
        format!("The email address {email} has no verification."),
    )
}

fn task_created(no: String) -> Value {
    json!({ "TaskNo": no })
}

/// A task over domains of the account: each must exist.
fn on_domains(
    a: &mut Account,
    action: &str,
    task_type: &str,
    p: &Params<'_>,
    names: Vec<String>,
    effect: impl Fn(&str) -> Effect,
) -> Result<Value, Fault> {
    let mut parts = Vec::new();
    for name in names {
        let d = a.domain(&name).ok_or_else(|| no_domain(&name))?;
        parts.push((d.name.clone(), d.instance_id.clone(), effect(&d.name)));
    }
    let no = a.create_task(action, task_type, &p.text("UserClientIp"), parts);
    Ok(task_created(no))
}

/// Registration (`transfer_in: false`) or transfer in of the items' domains: a task adding each to the account.
fn add_domains(
    a: &mut Account,
    action: &str,
    p: &Params<'_>,
    items: Vec<BTreeMap<String, String>>,
    transfer_in: bool,
) -> Result<Value, Fault> {
    let mut parts = Vec::new();
    for item in &items {
        let name = field(item, "DomainName").to_ascii_lowercase();
        valid_name(&name)?;
        if a.domain(&name).is_some() {
            return Err(fault(
                "DomainExist",
                format!("The domain name {name} is already in your account."),
            ));
        }
        // A transfer in needs the name to exist at its current registrar: the account's `taken` list plays that.
        if transfer_in && !a.taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
            return Err(fault(
                "DomainNotRegistered",
                format!("The domain name {name} is not registered, so it cannot be transferred in."),
            ));
        }
        // The profile named, else (for a registration) the account's default one, else the item's own contact.
        let profile = match item.get("RegistrantProfileId").filter(|v| !v.is_empty()) {
            Some(id) => {
                let id: i64 = id.parse().unwrap_or_default();
                let found = a.profiles.iter().find(|x| x.id == id);
                Some(found.ok_or_else(|| no_profile(id))?.clone())
            }
            None if transfer_in => return Err(no_profile(0)),
            None => a.profiles.iter().find(|x| x.default).cloned(),
        };
        let dns: Vec<String> = ["Dns1", "Dns2"]
            .iter()
            .map(|k| field(item, k))
            .filter(|v| !v.is_empty())
            .collect();
        let aliyun = item.get("AliyunDns").is_none_or(|v| v == "true") || dns.is_empty();
        let mut domain = Domain {
            name: name.clone(),
            aliyun_dns: aliyun,
            privacy_proxy: item.get("EnableDomainProxy").is_some_and(|v| v == "true"),
            resource_group_id: field(item, "ResourceGroupId"),
            ..Domain::default()
        };
        if !aliyun {
            domain.dns = dns;
        }
        match profile {
            Some(x) => {
                domain.registrant_profile_id = Some(x.id);
                domain.registrant_name = x.registrant_name;
                domain.registrant_organization = x.registrant_organization;
                domain.email = x.email;
                domain.registrant_type = x.registrant_type;
            }
            None => {
                domain.registrant_name = field(item, "RegistrantName");
                domain.registrant_organization = field(item, "RegistrantOrganization");
                domain.email = field(item, "Email");
                domain.registrant_type = item.get("RegistrantType").cloned().unwrap_or_else(|| "1".into());
            }
        }
        let years = item
            .get("SubscriptionDuration")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        // A transfer in is an instance (`QueryTransferInByInstanceId`) from its submission on.
        if transfer_in {
            domain.instance_id = a.instance_id();
        }
        let instance_id = domain.instance_id.clone();
        let effect = Effect::Add {
            domain: Box::new(domain),
            years,
            transfer_in,
        };
        parts.push((name, instance_id, effect));
    }
    let task_type = if transfer_in {
        "ORDER_TRANSFER"
    } else {
        "ORDER_ACTIVATE"
    };
    let no = a.create_task(action, task_type, &p.text("UserClientIp"), parts);
    Ok(task_created(no))
}

fn renew(
    a: &mut Account,
    action: &str,
    p: &Params<'_>,
    items: Vec<BTreeMap<String, String>>,
    redeem: bool,
) -> Result<Value, Fault> {
    let mut names = Vec::new();
    let mut years = BTreeMap::new();
    for item in &items {
        let name = field(item, "DomainName");
        let d = a.domain(&name).ok_or_else(|| no_domain(&name))?;
        // The service guards against a renewal sent twice: the caller names the expiration date it saw.
        if let Some(given) = item.get("CurrentExpirationDate").and_then(|v| v.parse::<Millis>().ok()) {
            if given.div_euclid(DAY) != d.expiration_date.div_euclid(DAY) {
                return Err(fault(
                    "InvalidParameter",
                    format!(
                        "The specified value of parameter \"CurrentExpirationDate\" is not valid: {given} is not the expiration date of {name} ({}).",
                        d.expiration_date
                    ),
                ));
            }
        }
        years.insert(
            d.name.clone(),
            item.get("SubscriptionDuration")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
        );
        names.push(name);
    }
    if redeem {
        on_domains(a, action, "ORDER_REDEEM", p, names, |_| Effect::Redeem)
    } else {
        on_domains(a, action, "ORDER_RENEW", p, names, |name| Effect::Renew {
            years: years.get(name).copied().unwrap_or(1),
        })
    }
}

fn dns_host(a: &mut Account, action: &str, p: &Params<'_>) -> Result<Value, Fault> {
    let id = p.text("InstanceId");
    let d = a.domain_by_instance(&id).ok_or_else(|| no_domain(&id))?;
    let name = p.text("DnsName");
    let exists = d.dns_hosts.iter().any(|h| h.name.eq_ignore_ascii_case(&name));
    let domain = d.name.clone();
    let (task_type, effect) = match action {
        "SaveSingleTaskForCreatingDnsHost" => {
            if exists {
                return Err(fault(
                    "DnsHostExist",
                    format!("The DNS host {name} of {domain} exists already."),
                ));
            }
            (
                "CREATE_DNSHOST",
                Effect::PutDnsHost {
                    host: DnsHost {
                        name,
                        ips: p.list("Ip"),
                    },
                },
            )
        }
        "SaveSingleTaskForModifyingDnsHost" => {
            if !exists {
                return Err(fault(
                    "DnsHostNotExist",
                    format!("The DNS host {name} of {domain} does not exist."),
                ));
            }
            (
                "UPDATE_DNSHOST",
                Effect::PutDnsHost {
                    host: DnsHost {
                        name,
                        ips: p.list("Ip"),
                    },
                },
            )
        }
        _ => {
            if !exists {
                return Err(fault(
                    "DnsHostNotExist",
                    format!("The DNS host {name} of {domain} does not exist."),
                ));
            }
            ("DELETE_DNSHOST", Effect::DeleteDnsHost { name })
        }
    };
    on_domains(a, action, task_type, p, vec![domain], |_| effect.clone())
}

fn ds_record(a: &mut Account, action: &str, p: &Params<'_>) -> Result<Value, Fault> {
    let name = p.text("DomainName");
    let d = a.domain(&name).ok_or_else(|| no_domain(&name))?;
    let key_tag = i32::try_from(p.int("KeyTag").unwrap_or_default()).unwrap_or_default();
    let exists = d.ds_records.iter().any(|r| r.key_tag == key_tag);
    let record = || DsRecord {
        key_tag,
        algorithm: i32::try_from(p.int("Algorithm").unwrap_or_default()).unwrap_or_default(),
        digest_type: i32::try_from(p.int("DigestType").unwrap_or_default()).unwrap_or_default(),
        digest: p.text("Digest"),
    };
    let (task_type, effect) = match action {
        "SaveSingleTaskForAddingDSRecord" if exists => {
            return Err(fault(
                "DSRecordExist",
                format!("{name} has a DS record with key tag {key_tag} already."),
            ))
        }
        "SaveSingleTaskForAddingDSRecord" => ("ADD_DSRECORD", Effect::PutDsRecord { record: record() }),
        _ if !exists => {
            return Err(fault(
                "DSRecordNotExist",
                format!("{name} has no DS record with key tag {key_tag}."),
            ))
        }
        "SaveSingleTaskForModifyingDSRecord" => ("UPDATE_DSRECORD", Effect::PutDsRecord { record: record() }),
        _ => ("DELETE_DSRECORD", Effect::DeleteDsRecord { key_tag }),
    };
    on_domains(a, action, task_type, p, vec![name], |_| effect.clone())
}

/// A name that §6.2's rules refuse (no suffix, a misplaced hyphen, punycode input, …), refused as the service's
/// `InvalidParameter` naming the rule.
fn valid_name(name: &str) -> Result<(), Fault> {
    domain_sdk::validate_domain_name(name).map_err(|e| {
        let message = format!("The specified value of parameter \"DomainName\" is not valid: {name:?}: {e}.");
        fault("InvalidParameter", message)
    })
}

fn check_domain(a: &Account, p: &Params<'_>) -> Result<Value, Fault> {
    let name = p.text("DomainName").to_ascii_lowercase();
    valid_name(&name)?;
    let label = name.split('.').next().unwrap_or_default();
    let taken = a.domain(&name).is_some() || a.taken.iter().any(|t| t.eq_ignore_ascii_case(&name));
    let premium = label.chars().count() <= 2;
    Ok(json!({
        "DomainName": name,
        "Avail": if taken { "0" } else { "1" },
        "Premium": if premium { "true" } else { "false" },
        "Reason": if taken { "Domain exists" } else { "" },
        "Price": if premium { 12_000 } else { 69 },
        "DynamicCheck": false,
    }))
}

/// The task details about the domain `name` (any case), newest task first.
fn details_of<'a>(a: &'a Account, name: &'a str) -> impl Iterator<Item = (&'a Task, &'a TaskDetail)> + 'a {
    a.tasks
        .iter()
        .rev()
        .flat_map(|t| t.details.iter().map(move |d| (t, d)))
        .filter(move |(_, d)| d.domain.eq_ignore_ascii_case(name))
}

/// Every transfer in of the account (pending, done or failed), newest first, with the domain it brings.
fn transfers_in(a: &Account) -> impl Iterator<Item = (&Task, &TaskDetail, &Domain)> {
    a.tasks.iter().rev().flat_map(|t| {
        t.details.iter().filter_map(move |d| match &d.effect {
            Effect::Add {
                domain,
                transfer_in: true,
                ..
            } => Some((t, d, &**domain)),
            _ => None,
        })
    })
}

/// A transfer in's `SimpleTransferInStatus`, `Status`, `ResultCode` and `ResultMsg`.
fn transfer_in_state(d: &TaskDetail) -> (&'static str, i32, &'static str, &str) {
    match &d.status {
        DetailStatus::Waiting | DetailStatus::Executing => ("PENDING", 39, "transferSubmitted", ""),
        DetailStatus::Succeeded => ("SUCCESS", 59, "", ""),
        DetailStatus::Failed { code, reason } if code == "TaskCanceled" => ("FAIL", 50, "clientCancelled", reason),
        DetailStatus::Failed { reason, .. } => ("FAIL", 51, "serverCancelled", reason),
    }
}

/// A transfer in as a `TransferInInfo` item.
fn transfer_in_item(a: &Account, t: &Task, d: &TaskDetail, domain: &Domain) -> Value {
    let (simple, status, code, message) = transfer_in_state(d);
    let done = d.status.is_final().then_some(d.updated);
    let expiration = a.domain(&domain.name).map_or(0, |x| x.expiration_date);
    json!({
        "DomainName": domain.name,
        "InstanceId": d.instance_id,
        "Email": domain.email,
        "ExpirationDate": format_date(expiration),
        "ExpirationDateLong": expiration,
        "ModificationDate": format_date(d.updated),
        "ModificationDateLong": d.updated,
        "NeedMailCheck": false,
        "WhoisMailStatus": true,
        "ProgressBarType": 3,
        "ResultCode": code,
        "ResultMsg": message,
        "ResultDate": done.map(format_date).unwrap_or_default(),
        "ResultDateLong": done,
        "SimpleTransferInStatus": simple,
        "Status": status,
        "SubmissionDate": format_date(t.created),
        "SubmissionDateLong": t.created,
        "TransferAuthorizationCodeSubmissionDate": format_date(t.created),
        "TransferAuthorizationCodeSubmissionDateLong": t.created,
        "UserId": "1234567890",
    })
}

/// `QueryTransferOutInfo`: where the domain's latest transfer-out step stands (code asked for, code issued,
/// transfer running, done, failed or canceled).
fn transfer_out_info(a: &Account, name: &str) -> Result<Value, Fault> {
    let step = details_of(a, name).find(|(_, d)| {
        matches!(
            d.effect,
            Effect::IssueTransferCode | Effect::TransferOut { .. } | Effect::CancelTransferOut
        )
    });
    let Some((t, d)) = step else {
        return Err(no_transfer_out(name));
    };
    let (status, code, message) = match (&d.effect, &d.status) {
        (_, DetailStatus::Failed { code, reason }) => (8, code.as_str(), reason.as_str()),
        (Effect::CancelTransferOut, _) => (8, "clientCancelled", "You have canceled this domain name transfer out."),
        (Effect::IssueTransferCode, DetailStatus::Succeeded) => (3, "", ""),
        (Effect::IssueTransferCode, _) => (2, "", ""),
        (_, DetailStatus::Succeeded) => (5, "", ""),
        _ => (4, "", ""),
    };
    let issued = details_of(a, name)
        .find(|(_, x)| matches!(x.effect, Effect::IssueTransferCode) && x.status == DetailStatus::Succeeded);
    let domain = a.domain(name);
    let pending = matches!(d.effect, Effect::TransferOut { .. }).then_some(t.created);
    Ok(json!({
        "Status": status,
        "ResultCode": code,
        "ResultMsg": message,
        "Email": domain.map(|x| x.email.clone()).unwrap_or_default(),
        "ExpirationDate": domain.map(|x| format_date(x.expiration_date)).unwrap_or_default(),
        "PendingRequestDate": pending.map(format_date).unwrap_or_default(),
        "TransferAuthorizationCodeSendDate": issued.map(|(_, x)| format_date(x.updated)).unwrap_or_default(),
    }))
}

/// `QueryTransferInList`: the transfers in, filtered by name, status and submission time, a page of them.
fn transfer_in_list(a: &Account, p: &Params<'_>) -> Value {
    let name = p.text("DomainName").to_ascii_lowercase();
    let status = p.text("SimpleTransferInStatus");
    let (from, to) = (p.int("SubmissionStartDate"), p.int("SubmissionEndDate"));
    let items = transfers_in(a)
        .filter(|(_, _, x)| name.is_empty() || x.name.contains(&name))
        .filter(|(_, d, _)| status.is_empty() || transfer_in_state(d).0 == status)
        .filter(|(t, ..)| from.is_none_or(|f| t.created >= f) && to.is_none_or(|to| t.created <= to))
        .map(|(t, d, x)| transfer_in_item(a, t, d, x))
        .collect();
    let (num, size) = p.page();
    paged(items, num, size, "TransferInInfo")
}

fn days_left(d: &Domain, now: Millis) -> i64 {
    d.expiration_date.saturating_sub(now).div_euclid(DAY)
}

fn group_name(a: &Account, d: &Domain) -> String {
    d.group_id
        .as_ref()
        .and_then(|g| a.groups.iter().find(|x| &x.id == g))
        .map(|g| g.name.clone())
        .unwrap_or_default()
}

/// A domain as the lists show it; `advanced` adds the fields of `QueryAdvancedDomainList` and `ScrollDomainList`.
fn list_item(a: &Account, d: &Domain, advanced: bool) -> Value {
    let now = a.now;
    let mut v = json!({
        "DomainName": d.name,
        "InstanceId": d.instance_id,
        "DomainAuditStatus": d.real_name_status,
        "DomainGroupId": d.group_id.clone().unwrap_or_default(),
        "DomainGroupName": group_name(a, d),
        "DomainStatus": if advanced && d.transfer_out_code.is_some() { "4" } else { d.status(now) },
        "DomainType": d.domain_type(),
        "ExpirationCurrDateDiff": days_left(d, now),
        "ExpirationDate": format_date(d.expiration_date),
        "ExpirationDateLong": d.expiration_date,
        "ExpirationDateStatus": if now < d.expiration_date { "1" } else { "2" },
        "Premium": d.premium,
        "ProductId": "2",
        "RegistrantType": d.registrant_type,
        "RegistrationDate": format_date(d.registration_date),
        "RegistrationDateLong": d.registration_date,
        "Remark": d.remark,
        "Ccompany": d.registrant_organization,
        "Tag": {"Tag": []},
        "ResourceGroupId": d.resource_group_id,
    });
    if advanced {
        let m = v.as_object_mut().expect("an object");
        m.insert("DnsList".into(), json!({"Dns": d.dns}));
        m.insert("Email".into(), json!(d.email));
        m.insert("RegistrantOrganization".into(), json!(d.registrant_organization));
        m.insert("ZhRegistrantOrganization".into(), json!(d.registrant_organization));
    }
    v
}

fn lock_state(on: bool) -> &'static str {
    if on {
        "OPEN"
    } else {
        "CLOSE"
    }
}

fn domain_detail(a: &Account, d: &Domain) -> Value {
    let verified = a
        .email_verifications
        .iter()
        .any(|e| e.verified && e.email.eq_ignore_ascii_case(&d.email));
    json!({
        "DomainName": d.name,
        "InstanceId": d.instance_id,
        "DnsList": {"Dns": d.dns},
        "DomainNameProxyService": d.privacy_proxy,
        "DomainNameVerificationStatus": "SUCCEED",
        "Email": d.email,
        "EmailVerificationClientHold": false,
        "EmailVerificationStatus": i32::from(verified),
        "ExpirationDate": format_date(d.expiration_date),
        "ExpirationDateLong": d.expiration_date,
        "Premium": d.premium,
        "RealNameStatus": d.real_name_status,
        "RegistrantName": d.registrant_name,
        "RegistrantOrganization": d.registrant_organization,
        "RegistrantType": d.registrant_type,
        "RegistrantUpdatingStatus": "NORMAL",
        "RegistrationDate": format_date(d.registration_date),
        "RegistrationDateLong": d.registration_date,
        "TransferOutStatus": if d.transfer_out_code.is_some() { "PENDING" } else { "NORMAL" },
        "TransferProhibitionLock": lock_state(d.transfer_prohibition_lock),
        "UpdateProhibitionLock": lock_state(d.update_prohibition_lock),
        "UserId": "1234567890",
        "ZhRegistrantName": d.registrant_name,
        "ZhRegistrantOrganization": d.registrant_organization,
        "ResourceGroupId": d.resource_group_id,
        "DomainStatus": d.status(a.now),
        "DomainType": d.domain_type(),
        "ExpirationCurrDateDiff": days_left(d, a.now),
        "ExpirationDateStatus": if a.now < d.expiration_date { "1" } else { "2" },
        "DomainGroupName": group_name(a, d),
        "DomainGroupId": d.group_id.as_deref().and_then(|g| g.parse::<i64>().ok()),
        "Remark": d.remark,
    })
}

/// The service's paged envelope around page `num` (of `size` items) of `total` items, its items under `Data`.
fn envelope(total: usize, num: usize, size: usize, data: Value) -> Value {
    let pages = total.div_ceil(size);
    json!({
        "CurrentPageNum": num,
        "PageSize": size,
        "TotalItemNum": total,
        "TotalPageNum": pages,
        "NextPage": num < pages,
        "PrePage": num > 1,
        "Data": data,
    })
}

/// Page `num` of `items`, under `Data.<wrapper>`.
fn paged(items: Vec<Value>, num: usize, size: usize, wrapper: &str) -> Value {
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip((num - 1) * size).take(size).collect();
    envelope(total, num, size, json!({ wrapper: page }))
}

/// Page `num` of `items`, a bare array under `Data`.
fn paged_bare(items: Vec<Value>, num: usize, size: usize) -> Value {
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip((num - 1) * size).take(size).collect();
    envelope(total, num, size, Value::Array(page))
}

/// The cursor envelope of the `…History` actions: `size` items of `found` from `start`, with the cursors of
/// this page, the next and the previous.
fn cursor_page<T>(found: &[T], start: usize, size: usize, render: impl Fn(&T) -> Value) -> Value {
    let shown = &found[start.min(found.len())..(start + size).min(found.len())];
    json!({
        "PageSize": size,
        "Objects": shown.iter().map(&render).collect::<Vec<_>>(),
        "CurrentPageCursor": shown.first().map(&render),
        "NextPageCursor": found.get(start + shown.len()).map(&render),
        "PrePageCursor": start.checked_sub(size).and_then(|i| found.get(i)).map(&render),
    })
}

fn in_range(value: Millis, p: &Params<'_>, start: &str, end: &str) -> bool {
    p.int(start).is_none_or(|s| value >= s) && p.int(end).is_none_or(|e| value <= e)
}

fn query_domain_list(a: &Account, p: &Params<'_>) -> Result<Value, Fault> {
    let now = a.now;
    let name = p.text("DomainName").to_ascii_lowercase();
    let group = p.text("DomainGroupId");
    let kind = p.text("ProductDomainType");
    let query_type = p.text("QueryType");
    let company = p.text("Ccompany");
    let rg = p.text("ResourceGroupId");
    let dns = p.text("Dns");
    let mut domains: Vec<&Domain> = a
        .domains
        .iter()
        .filter(|d| name.is_empty() || d.name.contains(&name))
        .filter(|d| group.is_empty() || d.group_id.as_deref() == Some(group.as_str()))
        .filter(|d| kind.is_empty() || d.domain_type() == kind)
        .filter(|d| match query_type.as_str() {
            "1" => d.status(now) == "1",
            "2" => d.status(now) == "2",
            _ => true,
        })
        .filter(|d| company.is_empty() || d.registrant_organization.contains(&company))
        .filter(|d| rg.is_empty() || d.resource_group_id == rg)
        .filter(|d| p.bool("AutoRenewEnabled").is_none_or(|on| d.auto_renew == on))
        .filter(|d| dns.is_empty() || d.dns.iter().any(|s| s.eq_ignore_ascii_case(&dns)))
        .filter(|d| in_range(d.expiration_date, p, "StartExpirationDate", "EndExpirationDate"))
        .filter(|d| in_range(d.registration_date, p, "StartRegistrationDate", "EndRegistrationDate"))
        .collect();
    // Without a sort key the service lists by the time a domain joined the account, newest first.
    let descending = p.text("OrderByType") != "ASC";
    match p.text("OrderKeyType").as_str() {
        "RegistrationDate" => domains.sort_by_key(|d| d.registration_date),
        "ExpirationDate" => domains.sort_by_key(|d| d.expiration_date),
        _ => {}
    }
    if descending {
        domains.reverse();
    }
    let (num, size) = p.page();
    let items = domains
        .into_iter()
        .map(|d| {
            let mut item = list_item(a, d, false);
            let m = item.as_object_mut().expect("an object");
            m.insert("AutoRenewEnabled".into(), json!(d.auto_renew));
            m.insert("DnsList".into(), json!({"DnsList": d.dns}));
            item
        })
        .collect();
    Ok(paged(items, num, size, "Domain"))
}

fn advanced_list(a: &Account, p: &Params<'_>, scroll: bool) -> Value {
    let now = a.now;
    let keyword = p.text("KeyWord").to_ascii_lowercase();
    let (prefix, suffix) = (
        p.bool("KeyWordPrefix") == Some(true),
        p.bool("KeyWordSuffix") == Some(true),
    );
    let excluded = p.text("Excluded").to_ascii_lowercase();
    let suffixes: Vec<String> = p
        .text("Suffixs")
        .split(',')
        .map(|s| s.trim().trim_start_matches('.').to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let status = p.text("DomainStatus");
    let group = p.text("DomainGroupId");
    let kind = p.text("ProductDomainType");
    let (min_len, max_len) = (p.int("StartLength"), p.int("EndLength"));
    let mut domains: Vec<&Domain> = a
        .domains
        .iter()
        .filter(|d| {
            let label = d.name.split('.').next().unwrap_or_default();
            let matches_keyword = keyword.is_empty()
                || match (prefix, suffix) {
                    (true, _) => label.starts_with(&keyword),
                    (_, true) => label.ends_with(&keyword),
                    _ => d.name.contains(&keyword),
                };
            let len = i64::try_from(label.chars().count()).unwrap_or(i64::MAX);
            matches_keyword
                && (excluded.is_empty() || !d.name.contains(&excluded))
                && (suffixes.is_empty() || suffixes.iter().any(|s| d.name.ends_with(&format!(".{s}"))))
                && (status.is_empty() || status == "0" || d.status(now) == status)
                && (group.is_empty() || d.group_id.as_deref() == Some(group.as_str()))
                && (kind.is_empty() || d.domain_type() == kind)
                && min_len.is_none_or(|m| len >= m)
                && max_len.is_none_or(|m| len <= m)
                && in_range(d.expiration_date, p, "StartExpirationDate", "EndExpirationDate")
                && in_range(d.registration_date, p, "StartRegistrationDate", "EndRegistrationDate")
        })
        .collect();
    for (flag, key) in [
        ("DomainNameSort", 0),
        ("RegistrationDateSort", 1),
        ("ExpirationDateSort", 2),
    ] {
        if let Some(ascending) = p.bool(flag) {
            match key {
                0 => domains.sort_by(|x, y| x.name.cmp(&y.name)),
                1 => domains.sort_by_key(|d| d.registration_date),
                _ => domains.sort_by_key(|d| d.expiration_date),
            }
            if !ascending {
                domains.reverse();
            }
        }
    }
    let items: Vec<Value> = domains.into_iter().map(|d| list_item(a, d, true)).collect();
    if !scroll {
        let (num, size) = p.page();
        return paged(items, num, size, "Domain");
    }
    // A scroll id is the offset of the next item; the last page has none.
    let size = p.size(100);
    let offset: usize = p
        .str("ScrollId")
        .and_then(|s| s.strip_prefix("scroll-")?.parse().ok())
        .unwrap_or(0);
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(size).collect();
    let next = offset + page.len();
    json!({
        "Data": {"Domain": page},
        "PageSize": size,
        "TotalItemNum": total,
        "ScrollId": if next < total { format!("scroll-{next}") } else { String::new() },
    })
}

fn server_lock(d: &Domain) -> Value {
    json!({
        "DomainName": d.name,
        "DomainInstanceId": d.instance_id,
        "LockInstanceId": lock_id(d),
        "ServerLockStatus": 1,
        "LockProductId": "domain_server_lock",
        "StartDate": format_date(d.registration_date),
        "ExpireDate": format_date(d.expiration_date),
        "GmtCreate": format_date(d.registration_date),
        "GmtModified": format_date(d.registration_date),
        "UserId": "1234567890",
    })
}

fn lock_id(d: &Domain) -> String {
    format!("SL{}", d.instance_id)
}

fn task_type_description(t: &str) -> &'static str {
    match t {
        "ORDER_ACTIVATE" => "创建注册订单",
        "ORDER_RENEW" => "创建续费订单",
        "ORDER_REDEEM" => "创建赎回订单",
        "ORDER_TRANSFER" => "创建转入订单",
        "CHG_DNS" => "修改DNS",
        "SET_UPDATE_PROHIBITED" => "设置禁止更新锁",
        "SET_TRANSFER_PROHIBITED" => "设置禁止转移锁",
        "SET_WHOIS_PROTECT" => "设置隐私保护",
        "CREATE_DNSHOST" => "创建DNS Host",
        "UPDATE_DNSHOST" => "修改DNS Host",
        "DELETE_DOMAIN" => "删除域名",
        _ => "",
    }
}

fn task_info(t: &Task) -> Value {
    let (code, status) = t.status();
    let cancel = if t.canceled { (2, "COMPLETE") } else { (0, "INIT") };
    json!({
        "Clientip": t.client_ip,
        "CreateTime": format_date(t.created),
        "CreateTimeLong": t.created,
        "TaskNo": t.task_no,
        "TaskNum": t.details.len(),
        "TaskStatus": status,
        "TaskStatusCode": code,
        "TaskType": t.task_type,
        "TaskTypeDescription": task_type_description(&t.task_type),
        "TaskCancelStatus": cancel.1,
        "TaskCancelStatusCode": cancel.0,
    })
}

fn detail_json(t: &Task, d: &TaskDetail) -> Value {
    let message = match &d.status {
        DetailStatus::Failed { reason, .. } => reason.as_str(),
        DetailStatus::Succeeded => "The operation is successful.",
        _ => "",
    };
    json!({
        "TaskNo": t.task_no,
        "TaskDetailNo": d.detail_no,
        "DomainName": d.domain,
        "InstanceId": d.instance_id,
        "TaskStatus": d.status.name(),
        "TaskStatusCode": d.status.code(),
        "ErrorMsg": message,
        "TaskResult": match &d.status { DetailStatus::Failed { code, .. } => code.clone(), _ => String::new() },
        "TaskType": t.task_type,
        "TaskTypeDescription": task_type_description(&t.task_type),
        "TryCount": i32::from(d.status.is_final()),
        "CreateTime": format_date(t.created),
        "UpdateTime": format_date(d.updated),
    })
}

fn tasks_newest_first(a: &Account, p: &Params<'_>) -> Vec<usize> {
    let mut at: Vec<usize> = (0..a.tasks.len())
        .filter(|&i| in_range(a.tasks[i].created, p, "BeginCreateTime", "EndCreateTime"))
        .collect();
    at.reverse();
    at
}

fn query_task_list(a: &Account, p: &Params<'_>) -> Value {
    let items = tasks_newest_first(a, p)
        .into_iter()
        .map(|i| task_info(&a.tasks[i]))
        .collect();
    let (num, size) = p.page();
    paged(items, num, size, "TaskInfo")
}

/// The details of a task matching the filters, as (task, detail) indexes.
fn matching_details(a: &Account, p: &Params<'_>, task: Option<usize>) -> Vec<(usize, usize)> {
    let status = p.int("TaskStatus");
    let (instance, domain) = (p.text("InstanceId"), p.text("DomainName"));
    let tasks: Vec<usize> = match task {
        Some(t) => vec![t],
        None => (0..a.tasks.len()).collect(),
    };
    let mut out = Vec::new();
    for t in tasks {
        for (i, d) in a.tasks[t].details.iter().enumerate() {
            if status.is_none_or(|s| s == i64::from(d.status.code()))
                && (instance.is_empty() || d.instance_id == instance)
                && (domain.is_empty() || d.domain.eq_ignore_ascii_case(&domain))
            {
                out.push((t, i));
            }
        }
    }
    out
}

fn task_index(a: &Account, no: &str) -> Result<usize, Fault> {
    a.tasks.iter().position(|t| t.task_no == no).ok_or_else(|| no_task(no))
}

fn query_task_details(a: &mut Account, p: &Params<'_>) -> Result<Value, Fault> {
    let t = task_index(a, &p.text("TaskNo"))?;
    let found = matching_details(a, p, Some(t));
    let (num, size) = p.page();
    let total = found.len();
    let shown: Vec<(usize, usize)> = found.into_iter().skip((num - 1) * size).take(size).collect();
    for &(t, d) in &shown {
        a.observe(t, d);
    }
    let items: Vec<Value> = shown
        .iter()
        .map(|&(t, d)| detail_json(&a.tasks[t], &a.tasks[t].details[d]))
        .collect();
    Ok(envelope(total, num, size, json!({ "TaskDetail": items })))
}

fn task_detail_history(a: &mut Account, p: &Params<'_>) -> Result<Value, Fault> {
    let t = task_index(a, &p.text("TaskNo"))?;
    let found = matching_details(a, p, Some(t));
    let cursor = p.text("TaskDetailNoCursor");
    let start = found
        .iter()
        .position(|&(t, d)| a.tasks[t].details[d].detail_no == cursor)
        .unwrap_or(0);
    let size = p.size(10);
    for &(t, d) in found.iter().skip(start).take(size) {
        a.observe(t, d);
    }
    Ok(cursor_page(&found, start, size, |&(t, d)| {
        detail_json(&a.tasks[t], &a.tasks[t].details[d])
    }))
}

fn task_info_history(a: &Account, p: &Params<'_>) -> Value {
    let found = tasks_newest_first(a, p);
    let cursor = p.text("TaskNoCursor");
    let start = found.iter().position(|&t| a.tasks[t].task_no == cursor).unwrap_or(0);
    cursor_page(&found, start, p.size(10), |&t| task_info(&a.tasks[t]))
}

fn poll_task_result(a: &mut Account, p: &Params<'_>) -> Value {
    let task = p
        .str("TaskNo")
        .and_then(|no| a.tasks.iter().position(|t| t.task_no == no));
    if p.str("TaskNo").is_some() && task.is_none() {
        let (num, size) = p.page();
        return paged(Vec::new(), num, size, "TaskDetail");
    }
    let wanted = p.int("TaskResultStatus");
    let mut found = Vec::new();
    for (t, d) in matching_details(a, p, task) {
        a.observe(t, d);
        let detail = &a.tasks[t].details[d];
        if detail.status.is_final()
            && !detail.acknowledged
            && wanted.is_none_or(|w| w == i64::from(detail.status.code()))
        {
            found.push(detail_json(&a.tasks[t], detail));
        }
    }
    let (num, size) = p.page();
    paged(found, num, size, "TaskDetail")
}

fn save_profile(a: &mut Account, p: &Params<'_>) -> Result<Value, Fault> {
    let now = a.now;
    let id = match p.int("RegistrantProfileId") {
        Some(id) => {
            if !a.profiles.iter().any(|x| x.id == id) {
                return Err(no_profile(id));
            }
            id
        }
        None => {
            let id = a.profile_id();
            a.profiles.push(Profile {
                id,
                created: now,
                ..Profile::default()
            });
            id
        }
    };
    let make_default = p.bool("DefaultRegistrantProfile") == Some(true);
    if make_default {
        for x in &mut a.profiles {
            x.default = false;
        }
    }
    let x = a.profiles.iter_mut().find(|x| x.id == id).expect("just found or added");
    if let Some(v) = p.str("RegistrantProfileType") {
        x.profile_type = v.to_owned();
    }
    fill_contact(x, p);
    if make_default {
        x.default = true;
    }
    Ok(json!({ "RegistrantProfileId": id }))
}

/// The contact details the request gives (`RegistrantName`, `Email`, `Country`, …), over those `x` has.
fn fill_contact(x: &mut Profile, p: &Params<'_>) {
    let fields = [
        (&mut x.registrant_type, "RegistrantType"),
        (&mut x.registrant_name, "RegistrantName"),
        (&mut x.registrant_organization, "RegistrantOrganization"),
        (&mut x.zh_registrant_name, "ZhRegistrantName"),
        (&mut x.zh_registrant_organization, "ZhRegistrantOrganization"),
        (&mut x.email, "Email"),
        (&mut x.country, "Country"),
        (&mut x.province, "Province"),
        (&mut x.city, "City"),
        (&mut x.address, "Address"),
        (&mut x.postal_code, "PostalCode"),
        (&mut x.tel_area, "TelArea"),
        (&mut x.telephone, "Telephone"),
    ];
    for (field, name) in fields {
        if let Some(v) = p.str(name) {
            *field = v.to_owned();
        }
    }
}

/// A contact update over `names`: the registrant (a holder change, `CHG_HOLDER`) or the admin, billing or tech
/// contact, to a profile's details (`RegistrantProfileId`) or to details given in full; maybe locking transfers.
fn update_contact(
    a: &mut Account,
    action: &str,
    p: &Params<'_>,
    contact_type: &str,
    names: Vec<String>,
    transfer_lock: bool,
) -> Result<Value, Fault> {
    let task_type = match contact_type {
        "registrant" => "CHG_HOLDER",
        "admin" => "UPDATE_ADMIN_CONTACT",
        "billing" => "UPDATE_BILLING_CONTACT",
        _ => "UPDATE_TECH_CONTACT",
    };
    let contact = match p.int("RegistrantProfileId") {
        Some(id) => a
            .profiles
            .iter()
            .find(|x| x.id == id)
            .cloned()
            .ok_or_else(|| no_profile(id))?,
        None => {
            let mut contact = Profile::default();
            fill_contact(&mut contact, p);
            contact
        }
    };
    let effect = |_: &str| Effect::UpdateContact {
        contact_type: contact_type.to_owned(),
        contact: Box::new(contact.clone()),
        transfer_lock,
    };
    on_domains(a, action, task_type, p, names, effect)
}

/// A real-name verification task over `names` (each must exist): `AUDITING` at once, the outcome when it ends.
fn verify_real_name(
    a: &mut Account,
    action: &str,
    p: &Params<'_>,
    names: Vec<String>,
    submission: RealNameVerification,
) -> Result<Value, Fault> {
    let effect = |_: &str| Effect::VerifyRealName {
        submission: Box::new(submission.clone()),
    };
    let answer = on_domains(a, action, "DOMAIN_AUDIT", p, names.clone(), effect)?;
    for d in a
        .domains
        .iter_mut()
        .filter(|d| names.iter().any(|n| n.eq_ignore_ascii_case(&d.name)))
    {
        d.real_name_status = "AUDITING".into();
    }
    Ok(answer)
}

/// `QueryContactInfo`: the registrant's details (its profile's, when it has one), for every contact type.
fn contact_info(a: &Account, p: &Params<'_>) -> Result<Value, Fault> {
    let name = p.text("DomainName");
    let d = a.domain(&name).ok_or_else(|| no_domain(&name))?;
    let profile = d
        .registrant_profile_id
        .and_then(|id| a.profiles.iter().find(|x| x.id == id));
    let x = profile.cloned().unwrap_or_default();
    Ok(json!({
        "RegistrantName": d.registrant_name,
        "RegistrantOrganization": d.registrant_organization,
        "Email": d.email,
        "ZhRegistrantName": x.zh_registrant_name,
        "ZhRegistrantOrganization": x.zh_registrant_organization,
        "Country": x.country,
        "Province": x.province,
        "ZhProvince": x.province,
        "City": x.city,
        "ZhCity": x.city,
        "Address": x.address,
        "ZhAddress": x.address,
        "PostalCode": x.postal_code,
        "TelArea": x.tel_area,
        "Telephone": x.telephone,
        "TelExt": "",
        "CreateDate": format_date(d.registration_date),
    }))
}

fn profile_json(a: &Account, x: &Profile) -> Value {
    let verified = x.email_verified
        || a.email_verifications
            .iter()
            .any(|e| e.verified && e.email.eq_ignore_ascii_case(&x.email));
    json!({
        "RegistrantProfileId": x.id,
        "RegistrantProfileType": x.profile_type,
        "RegistrantType": x.registrant_type,
        "DefaultRegistrantProfile": x.default,
        "RegistrantName": x.registrant_name,
        "RegistrantOrganization": x.registrant_organization,
        "ZhRegistrantName": x.zh_registrant_name,
        "ZhRegistrantOrganization": x.zh_registrant_organization,
        "Email": x.email,
        "EmailVerificationStatus": i32::from(verified),
        "Country": x.country,
        "Province": x.province,
        "City": x.city,
        "Address": x.address,
        "PostalCode": x.postal_code,
        "TelArea": x.tel_area,
        "Telephone": x.telephone,
        "RealNameStatus": x.real_name_status,
        "CreateTime": format_date(x.created),
        "UpdateTime": format_date(x.created),
    })
}

fn query_profiles(a: &mut Account, p: &Params<'_>) -> Value {
    let id = p.int("RegistrantProfileId");
    let filters = [
        ("RegistrantType", p.text("RegistrantType")),
        ("Email", p.text("Email")),
        ("RealNameStatus", p.text("RealNameStatus")),
        ("RegistrantProfileType", p.text("RegistrantProfileType")),
        ("RegistrantOrganization", p.text("RegistrantOrganization")),
    ];
    let default = p.bool("DefaultRegistrantProfile");
    let items: Vec<Value> = a
        .profiles
        .iter()
        .filter(|x| id.is_none_or(|id| x.id == id))
        .filter(|x| default.is_none_or(|d| x.default == d))
        .map(|x| profile_json(a, x))
        .filter(|v| {
            filters
                .iter()
                .all(|(k, want)| want.is_empty() || v[k].as_str() == Some(want))
        })
        .collect();
    // A real-name verification in progress is decided once it has been seen.
    for x in a.profiles.iter_mut().filter(|x| x.real_name_status == "AUDITING") {
        x.real_name_status = "SUCCEED".into();
    }
    let (num, size) = p.page();
    let mut v = paged(items, num, size, "RegistrantProfile");
    let data = v["Data"].take();
    if let Some(m) = v.as_object_mut() {
        m.remove("Data");
        m.insert("RegistrantProfiles".into(), data);
    }
    v
}

fn save_group(a: &mut Account, p: &Params<'_>) -> Result<Value, Fault> {
    let name = p.text("DomainGroupName");
    let id = p.str("DomainGroupId").map(str::to_owned);
    if a.groups.iter().any(|g| g.name == name && Some(&g.id) != id.as_ref()) {
        return Err(fault(
            "DomainGroupNameExist",
            format!("A domain group named {name} exists already."),
        ));
    }
    let now = a.now;
    let id = match id {
        Some(id) => {
            let g = a.groups.iter_mut().find(|g| g.id == id).ok_or_else(|| no_group(&id))?;
            g.name = name;
            id
        }
        None => {
            let id = (a.profile_id() - 3_000_000).to_string();
            a.groups.push(Group {
                id: id.clone(),
                name,
                created: now,
            });
            id
        }
    };
    let g = a.groups.iter().find(|g| g.id == id).expect("just saved");
    let mut v = group_json(a, g);
    v["DomainGroupId"] = json!(id.parse::<i64>().unwrap_or_default());
    Ok(v)
}

fn group_json(a: &Account, g: &Group) -> Value {
    let members = a.domains.iter().filter(|d| d.group_id.as_ref() == Some(&g.id)).count();
    json!({
        "DomainGroupId": g.id,
        "DomainGroupName": g.name,
        "DomainGroupStatus": "COMPLETE",
        "BeingDeleted": false,
        "CreationDate": format_date(g.created),
        "ModificationDate": format_date(g.created),
        "TotalNumber": members,
    })
}

fn send_result(email: &str, code: &str, message: &str) -> Value {
    json!({"Email": email, "Code": code, "Message": message})
}

fn submit_email(a: &mut Account, p: &Params<'_>, action: &str) -> Value {
    let now = a.now;
    let mut result = Map::new();
    let (mut success, mut exist, mut fail) = (Vec::new(), Vec::new(), Vec::new());
    for email in p.text("Email").split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if !email.contains('@') {
            fail.push(send_result(email, "InvalidEmail", "The email address is not valid."));
            continue;
        }
        let token = a.uuid();
        match a
            .email_verifications
            .iter_mut()
            .find(|e| e.email.eq_ignore_ascii_case(email))
        {
            Some(e) if e.verified => exist.push(send_result(
                email,
                "EmailVerified",
                "The email address is verified already.",
            )),
            Some(e) if action == "SubmitEmailVerification" && p.bool("SendIfExist") != Some(true) => {
                let _ = e;
                exist.push(send_result(
                    email,
                    "EmailVerificationExist",
                    "A verification mail was sent already.",
                ));
            }
            Some(e) => {
                e.token = token;
                e.created = now;
                success.push(send_result(email, "Success", "A verification mail was sent."));
            }
            None if action == "ResendEmailVerification" => fail.push(send_result(
                email,
                "EmailVerificationNotExist",
                "The email address has no verification.",
            )),
            None => {
                a.email_verifications.push(EmailVerification {
                    email: email.to_owned(),
                    verified: false,
                    token,
                    created: now,
                    verified_at: None,
                });
                success.push(send_result(email, "Success", "A verification mail was sent."));
            }
        }
    }
    result.insert("SuccessList".into(), Value::Array(success));
    result.insert("FailList".into(), Value::Array(fail));
    if action == "SubmitEmailVerification" {
        result.insert("ExistList".into(), Value::Array(exist));
    }
    Value::Object(result)
}

fn email_json(e: &EmailVerification) -> Value {
    json!({
        "Email": e.email,
        "EmailVerificationNo": format!("EV{}", e.token.get(..8).unwrap_or_default()),
        "VerificationStatus": i32::from(e.verified),
        "GmtCreate": format_date(e.created),
        "GmtModified": format_date(e.verified_at.unwrap_or(e.created)),
        "TokenSendTime": format_date(e.created),
        "VerificationTime": e.verified_at.map(format_date).unwrap_or_default(),
        "SendIp": "127.0.0.1",
        "ConfirmIp": if e.verified { "127.0.0.1" } else { "" },
        "UserId": "1234567890",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stateful_action_is_in_the_spec_and_answered_even_with_nothing() {
        assert!(
            STATEFUL_ACTIONS.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        let empty = BTreeMap::new();
        for action in STATEFUL_ACTIONS {
            assert!(crate::action_spec(action).is_some(), "{action} is not in the spec");
            let mut account = Account::default().seeded().unwrap();
            assert!(
                answer(&mut account, action, &empty).is_some(),
                "{action} is not answered"
            );
        }
        // And the list is complete: every other action of the spec answers its example.
        for spec in crate::ACTIONS.iter().filter(|s| !STATEFUL_ACTIONS.contains(&s.action)) {
            let mut account = Account::default().seeded().unwrap();
            assert!(
                answer(&mut account, spec.action, &empty).is_none(),
                "{} is answered from the account but not in STATEFUL_ACTIONS",
                spec.action
            );
        }
    }
}
