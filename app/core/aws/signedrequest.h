// One arbitrary request signed with SigV4, for `fedsync-cli request` (awscurl-style): the Host header
// added, the signature computed for the exact bytes that will be sent, and the canonical request and
// string to sign kept for --verbose. Also: which service and region an AWS host name stands for.
#pragma once

#include "aws/awscredentials.h"
#include "aws/sigv4signer.h"
#include "net/httpjob.h"

#include <QDateTime>

#include <optional>

namespace fedsync::aws {

struct SignedRequest
{
    HttpRequest request; // ready to send
    SigV4Result signature;
};

// `request.url` must be absolute. The body is signed as given; `service`/`region` form the scope.
SignedRequest signRequest(HttpRequest request, const AwsCredentials &credentials, const QString &service,
                          const QString &region, const QDateTime &now);

struct ServiceAndRegion
{
    QString service;
    QString region;
};
// "cognito-sync.us-east-1.amazonaws.com" -> {cognito-sync, us-east-1}; "sts.amazonaws.com" -> {sts,
// us-east-1}; "dynamodb.eu-west-1.api.aws" works too. Nothing for other hosts (a sandbox, a proxy).
std::optional<ServiceAndRegion> serviceAndRegionFromHost(const QString &host);

} // namespace fedsync::aws
