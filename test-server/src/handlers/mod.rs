//! The stateful fake's answers: what each action a registrar's code drives does to the [`Account`] and what it
//! answers, in the service's JSON shapes. [`HANDLERS`] is the list of these actions; every other action answers
//! its reference example. The handlers live in modules named for what they change.

mod contacts;
mod dns;
mod domains;
mod email;
mod ens;
mod groups;
mod locks;
mod orders;
mod profiles;
mod qualifications;
mod real_name;
mod render;
mod tasks;
mod transfers;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::account::{Account, Effect, NewDetail};
use crate::fault::invalid_parameter;
use crate::fault::Fault;
use crate::validate::list_index;

/// An answer: the body's fields (the server adds `RequestId`), or the service's fault.
pub(crate) type Answer = Result<Value, Fault>;

/// One stateful action and the function that answers it.
pub(crate) struct Handler {
    /// The action's name.
    pub action: &'static str,
    handle: fn(&mut Account, &Request<'_>) -> Answer,
}

const fn on(action: &'static str, handle: fn(&mut Account, &Request<'_>) -> Answer) -> Handler {
    Handler { action, handle }
}

/// Every action the stateful mode answers from the account, sorted by name: the one list of them.
pub(crate) const HANDLERS: &[Handler] = &[
    on("AcknowledgeTaskResult", tasks::acknowledge),
    on("CancelQualificationVerification", qualifications::cancel),
    on("CancelTask", tasks::cancel),
    on("ChangeResourceGroup", domains::change_resource_group),
    on("CheckDomain", domains::check),
    on("DeleteDomainGroup", groups::delete),
    on("DeleteEmailVerification", email::delete),
    on("DeleteRegistrantProfile", profiles::delete),
    on("GetQualificationUploadPolicy", qualifications::upload_policy),
    on("ListEmailVerification", email::list),
    on("ListServerLock", locks::list_server_locks),
    on("PollTaskResult", tasks::poll_results),
    on("QueryAdvancedDomainList", domains::advanced_list),
    on("QueryContactInfo", contacts::query),
    on("QueryDSRecord", dns::query_ds_records),
    on("QueryDnsHost", dns::query_hosts),
    on("QueryDomainByDomainName", domains::by_name),
    on("QueryDomainByInstanceId", domains::by_instance_id),
    on("QueryDomainGroupList", groups::list),
    on("QueryDomainList", domains::list),
    on("QueryDomainRealNameVerificationInfo", real_name::query_info),
    on("QueryEmailVerification", email::query),
    on("QueryEnsAssociation", ens::query),
    on("QueryFailReasonForDomainRealNameVerification", real_name::fail_reasons),
    on(
        "QueryFailReasonForRegistrantProfileRealNameVerification",
        profiles::real_name_fail_reasons,
    ),
    on(
        "QueryFailingReasonListForQualification",
        qualifications::failing_reasons,
    ),
    on("QueryLocalEnsAssociation", ens::query_local),
    on("QueryQualificationDetail", qualifications::detail),
    on(
        "QueryRegistrantProfileRealNameVerificationInfo",
        profiles::real_name_info,
    ),
    on("QueryRegistrantProfiles", profiles::list),
    on("QueryServerLock", locks::query_server_lock),
    on("QueryTaskDetailHistory", tasks::detail_history),
    on("QueryTaskDetailList", tasks::details),
    on("QueryTaskInfoHistory", tasks::info_history),
    on("QueryTaskList", tasks::list),
    on("QueryTransferInByInstanceId", transfers::transfer_in_by_instance_id),
    on("QueryTransferInList", transfers::transfer_in_list),
    on("QueryTransferOutInfo", transfers::transfer_out_info),
    on("RegistrantProfileRealNameVerification", profiles::submit_real_name),
    on("ResendEmailVerification", email::submit),
    on("ResetQualificationVerification", qualifications::reset),
    on("SaveBatchDomainRemark", domains::remark),
    on("SaveBatchTaskForCreatingOrderActivate", orders::register),
    on("SaveBatchTaskForCreatingOrderRedeem", orders::redeem),
    on("SaveBatchTaskForCreatingOrderRenew", orders::renew),
    on("SaveBatchTaskForCreatingOrderTransfer", transfers::transfer_in),
    on("SaveBatchTaskForDomainNameProxyService", locks::privacy),
    on("SaveBatchTaskForModifyingDomainDns", dns::set_name_servers),
    on(
        "SaveBatchTaskForTransferOutByAuthorizationCode",
        transfers::transfer_out,
    ),
    on("SaveBatchTaskForTransferProhibitionLock", locks::transfer_lock),
    on("SaveBatchTaskForUpdateProhibitionLock", locks::update_lock),
    on("SaveBatchTaskForUpdatingContactInfoByNewContact", contacts::update),
    on(
        "SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId",
        contacts::update,
    ),
    on("SaveContactTemplateCredential", profiles::submit_template_credential),
    on("SaveDomainGroup", groups::save),
    on("SaveRegistrantProfile", profiles::save),
    on("SaveRegistrantProfileRealNameVerification", profiles::save_real_name),
    on("SaveSingleTaskForAddingDSRecord", dns::ds_record),
    on("SaveSingleTaskForAssociatingEns", ens::associate),
    on("SaveSingleTaskForCancelingTransferIn", transfers::cancel_transfer_in),
    on("SaveSingleTaskForCancelingTransferOut", transfers::cancel_transfer_out),
    on("SaveSingleTaskForCreatingDnsHost", dns::host),
    on("SaveSingleTaskForCreatingOrderActivate", orders::register),
    on("SaveSingleTaskForCreatingOrderRedeem", orders::redeem),
    on("SaveSingleTaskForCreatingOrderRenew", orders::renew),
    on("SaveSingleTaskForCreatingOrderTransfer", transfers::transfer_in),
    on("SaveSingleTaskForDeletingDSRecord", dns::ds_record),
    on("SaveSingleTaskForDeletingDnsHost", dns::host),
    on("SaveSingleTaskForDisassociatingEns", ens::disassociate),
    on("SaveSingleTaskForDomainNameProxyService", locks::privacy),
    on("SaveSingleTaskForModifyingDSRecord", dns::ds_record),
    on("SaveSingleTaskForModifyingDnsHost", dns::host),
    on(
        "SaveSingleTaskForQueryingTransferAuthorizationCode",
        transfers::request_authorization_code,
    ),
    on(
        "SaveSingleTaskForTransferOutByAuthorizationCode",
        transfers::transfer_out,
    ),
    on("SaveSingleTaskForTransferProhibitionLock", locks::transfer_lock),
    on("SaveSingleTaskForUpdateProhibitionLock", locks::update_lock),
    on("SaveSingleTaskForUpdatingContactInfo", contacts::update),
    on("SaveTaskForSubmittingDomainDelete", orders::delete),
    on(
        "SaveTaskForSubmittingDomainRealNameVerificationByIdentityCredential",
        real_name::submit_by_credential,
    ),
    on(
        "SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID",
        real_name::submit_by_profile,
    ),
    on(
        "SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID",
        contacts::update,
    ),
    on("ScrollDomainList", domains::scroll),
    on("SetDefaultRegistrantProfile", profiles::set_default),
    on("SetupDomainAutoRenew", domains::setup_auto_renew),
    on("SubmitEmailVerification", email::submit),
    on("UpdateDomainToDomainGroup", groups::add_domains),
    on("VerifyEmail", email::verify),
];

/// The names of [`HANDLERS`], in its order.
const fn action_names<const COUNT: usize>() -> [&'static str; COUNT] {
    let mut names = [""; COUNT];
    let mut index = 0;
    while index < COUNT {
        names[index] = HANDLERS[index].action;
        index += 1;
    }
    names
}

/// The actions the stateful mode answers from the account (sorted): the names of its handler table. Every
/// other action answers its reference example.
pub const STATEFUL_ACTIONS: &[&str] = &action_names::<{ HANDLERS.len() }>();

/// Answers `action` from the account; `None` for an action the stateful mode does not model.
pub(crate) fn answer(account: &mut Account, action: &str, params: &BTreeMap<String, String>) -> Option<Answer> {
    let at = HANDLERS.binary_search_by(|handler| handler.action.cmp(action)).ok()?;
    account.settle();
    let request = Request {
        action: HANDLERS[at].action,
        params: Params(params),
    };
    Some((HANDLERS[at].handle)(account, &request))
}

/// A request to a handler: its action (several actions share a handler) and its parameters.
pub(crate) struct Request<'a> {
    /// The action.
    pub action: &'static str,
    /// The parameters, validated against the action's table (so their types are right).
    pub params: Params<'a>,
}

/// A request's parameters.
pub(crate) struct Params<'a>(pub &'a BTreeMap<String, String>);

impl Params<'_> {
    /// A parameter's value, `None` when absent or empty.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|value| !value.is_empty())
    }

    /// A parameter's value, empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.str(name).unwrap_or_default().to_owned()
    }

    /// An integer parameter.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.str(name).and_then(|value| value.parse().ok())
    }

    /// A Boolean parameter.
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.str(name).map(|value| value.eq_ignore_ascii_case("true"))
    }

    /// `name.1`, `name.2`, … in index order.
    pub fn list(&self, name: &str) -> Vec<String> {
        let items: BTreeMap<u32, &String> = self
            .0
            .iter()
            .filter_map(|(key, value)| match list_index(key, name)? {
                (index, "") => Some((index, value)),
                _ => None,
            })
            .collect();
        items.into_values().cloned().collect()
    }

    /// `name.N.Field` items in index order, each a map of its fields.
    pub fn structs(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        let mut items: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
        for (key, value) in self.0 {
            let Some((index, tail)) = list_index(key, name) else {
                continue;
            };
            if let Some(field) = tail.strip_prefix('.') {
                items.entry(index).or_default().insert(field.to_owned(), value.clone());
            }
        }
        items.into_values().collect()
    }

    /// The one `DomainName`, or the list `DomainName.N`.
    pub fn domain_names(&self) -> Vec<String> {
        match self.str("DomainName") {
            Some(one) => vec![one.to_owned()],
            None => self.list("DomainName"),
        }
    }

    /// `PageSize` (1 to 1000), `default` without one.
    pub fn page_size(&self, default: i64) -> usize {
        usize::try_from(self.int("PageSize").unwrap_or(default).clamp(1, 1000)).unwrap_or(1)
    }

    /// `PageNum` (from 1) and `PageSize` (10 by default).
    pub fn page(&self) -> render::Page {
        let number = self.int("PageNum").unwrap_or(1).max(1);
        render::Page {
            number: usize::try_from(number).unwrap_or(1),
            size: self.page_size(10),
        }
    }

    /// Whether `value` is within the bounds the parameters `start` and `end` give (each optional).
    pub fn in_range(&self, value: i64, start: &str, end: &str) -> bool {
        self.int(start).is_none_or(|from| value >= from) && self.int(end).is_none_or(|to| value <= to)
    }
}

/// A field of a `name.N.Field` item, empty when absent.
fn field(item: &BTreeMap<String, String>, name: &str) -> String {
    item.get(name).cloned().unwrap_or_default()
}

/// `{"TaskNo": …}`: what every task-creating action answers.
fn task_created(task_no: String) -> Value {
    serde_json::json!({ "TaskNo": task_no })
}

/// A task over domains of the account: each must exist and have no unfinished task (the service answers
/// `TaskIsBeingProcessed` for a second operation on a domain; the fake applies it to every task-creating
/// action, the stricter reading where the reference is silent).
fn task_on_domains(
    account: &mut Account,
    request: &Request<'_>,
    task_type: &str,
    names: Vec<String>,
    effect: impl Fn(&str) -> Effect,
) -> Answer {
    let mut details = Vec::new();
    for name in names {
        let domain = account.existing_domain(&name)?;
        account.ensure_idle(&domain.name)?;
        details.push(NewDetail {
            domain: domain.name.clone(),
            instance_id: domain.instance_id.clone(),
            effect: effect(&domain.name),
        });
    }
    let client_ip = request.params.text("UserClientIp");
    let task_no = account.create_task(request.action, task_type, &client_ip, details);
    Ok(task_created(task_no))
}

/// A name that §6.2's rules refuse (no suffix, a misplaced hyphen, punycode input, …), refused as the service's
/// `InvalidParameter` naming the rule.
fn valid_name(parameter: &str, name: &str) -> Result<(), Fault> {
    domain_sdk::validate_domain_name(name).map_err(|why| invalid_parameter(parameter, format!("{name:?}: {why}")))
}

#[cfg(test)]
mod tests;
