//! A domain's DNS: its name servers, its DNS hosts (glue records) and its DS records (DNSSEC), each change a
//! task whose detail fails when the host or record is not as the change needs.

use serde_json::{json, Value};

use super::{task_on_domains, Answer, Request};
use crate::account::{Account, DnsHost, DsRecord, Effect};
use crate::fault::invalid_parameter;

/// `SaveBatchTaskForModifyingDomainDns`: at least two name servers unless Alibaba Cloud DNS is asked for.
pub(super) fn set_name_servers(account: &mut Account, request: &Request<'_>) -> Answer {
    let servers = request.params.list("DomainNameServer");
    let aliyun = request.params.bool("AliyunDns").unwrap_or(false);
    if !aliyun && servers.len() < 2 {
        return Err(invalid_parameter(
            "DomainNameServer.N",
            "at least two name servers are needed unless AliyunDns is true",
        ));
    }
    let names = request.params.list("DomainName");
    task_on_domains(account, request, "CHG_DNS", names, |_| Effect::SetDns {
        servers: if aliyun { Vec::new() } else { servers.clone() },
        aliyun,
    })
}

/// `SaveSingleTaskForCreatingDnsHost`, `…ModifyingDnsHost`, `…DeletingDnsHost`, on the domain of `InstanceId`.
pub(super) fn host(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account
        .existing_instance(&request.params.text("InstanceId"))?
        .name
        .clone();
    let host = DnsHost {
        name: request.params.text("DnsName"),
        ips: request.params.list("Ip"),
    };
    let (task_type, effect) = match request.action {
        "SaveSingleTaskForCreatingDnsHost" => ("CREATE_DNSHOST", Effect::AddDnsHost { host }),
        "SaveSingleTaskForModifyingDnsHost" => ("UPDATE_DNSHOST", Effect::PutDnsHost { host }),
        _ => ("DELETE_DNSHOST", Effect::DeleteDnsHost { name: host.name }),
    };
    task_on_domains(account, request, task_type, vec![domain], |_| effect.clone())
}

/// `QueryDnsHost`.
pub(super) fn query_hosts(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_instance(&request.params.text("InstanceId"))?;
    let hosts: Vec<Value> = domain
        .dns_hosts
        .iter()
        .map(|host| json!({"DnsName": host.name, "IpList": host.ips}))
        .collect();
    Ok(json!({ "DnsHostList": hosts }))
}

/// `SaveSingleTaskForAddingDSRecord`, `…ModifyingDSRecord`, `…DeletingDSRecord`.
pub(super) fn ds_record(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let domain = account.existing_domain(&params.text("DomainName"))?.name.clone();
    let number = |name: &str| i32::try_from(params.int(name).unwrap_or_default()).unwrap_or_default();
    let record = DsRecord {
        key_tag: number("KeyTag"),
        algorithm: number("Algorithm"),
        digest_type: number("DigestType"),
        digest: params.text("Digest"),
    };
    let (task_type, effect) = match request.action {
        "SaveSingleTaskForAddingDSRecord" => ("ADD_DSRECORD", Effect::AddDsRecord { record }),
        "SaveSingleTaskForModifyingDSRecord" => ("UPDATE_DSRECORD", Effect::PutDsRecord { record }),
        _ => (
            "DELETE_DSRECORD",
            Effect::DeleteDsRecord {
                key_tag: record.key_tag,
            },
        ),
    };
    task_on_domains(account, request, task_type, vec![domain], |_| effect.clone())
}

/// `QueryDSRecord`.
pub(super) fn query_ds_records(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_domain(&request.params.text("DomainName"))?;
    let records: Vec<Value> = domain
        .ds_records
        .iter()
        .map(|record| {
            json!({"KeyTag": record.key_tag, "Algorithm": record.algorithm, "DigestType": record.digest_type,
                "Digest": record.digest})
        })
        .collect();
    Ok(json!({ "DSRecordList": records }))
}
