using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using static Valkeyrie.DynamoDB.DynamoDbSchema;

namespace Valkeyrie.DynamoDB;

internal sealed partial class DynamoDbChangeLog
{
    /// <summary>DynamoDB's limit on the items of one <c>TransactWriteItems</c> call.</summary>
    public const int MaxTransactItems = 100;

    // With Auto, unknown until the first native attempt answers, then fixed for the store's lifetime.
    private int _mode = (int)options.CommitMode;

    /// <summary>The mode writes use: with <see cref="DynamoDbCommitMode.Auto"/>, Auto until the first write found out.</summary>
    public DynamoDbCommitMode Mode => (DynamoDbCommitMode)Volatile.Read(ref _mode);

    private enum NativeOutcomeKind
    {
        Committed,
        Refused,
        Retry,
        LogConflict,
        Unsupported,
    }

    private readonly record struct NativeOutcome(NativeOutcomeKind Kind, StoredItem? Item = null);

    // One call: the log entry for the revision (already done: there is nothing left to apply) and every key of the plan,
    // each under its condition. DynamoDB allows one action per item, so a plan names each key once.
    private async Task<NativeOutcome> TryTransactAsync(
        ulong revision, IReadOnlyList<PlannedWrite> writes, IReadOnlyList<LogOperation> operations, string? key, CancellationToken cancellationToken)
    {
        var now = NowMs;
        var token = NewCommitToken();
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Put = new Put
                {
                    TableName = table.Name,
                    Item = EntryItem(revision, operations, token, done: true),
                    ConditionExpression = "attribute_not_exists(#sk)",
                    ExpressionAttributeNames = new() { ["#sk"] = SortKey },
                },
            },
        };
        foreach (var write in writes)
        {
            if (write.Operation is { } operation)
            {
                var put = new Put { TableName = table.Name, Item = operation.ToDataItem(revision) };
                if (write.Condition.Kind != KeyConditionKind.None)
                {
                    put.ExpressionAttributeNames = [];
                    put.ExpressionAttributeValues = [];
                    put.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
                    write.Condition.Express(now, e => put.ConditionExpression = e, put.ExpressionAttributeNames, put.ExpressionAttributeValues);
                }

                items.Add(new TransactWriteItem { Put = put });
            }
            else if (write.Condition.Kind != KeyConditionKind.None)
            {
                var check = new ConditionCheck
                {
                    TableName = table.Name,
                    Key = StoredItem.KeyOf(write.Key),
                    ExpressionAttributeNames = [],
                    ExpressionAttributeValues = [],
                    ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                };
                write.Condition.Express(now, e => check.ConditionExpression = e, check.ExpressionAttributeNames, check.ExpressionAttributeValues);
                items.Add(new TransactWriteItem { ConditionCheck = check });
            }
        }

        if (items.Count > MaxTransactItems)
        {
            throw new KvLimitExceededException("dynamodb", table.Endpoint, key,
                $"One write may touch at most {MaxTransactItems - 1} keys, because DynamoDB's TransactWriteItems takes {MaxTransactItems} items and one is the change-log entry; nothing was written. Split it.");
        }

        // DynamoDB makes the SDK's retries of this exact call idempotent by the request token; endpoints that ignore it
        // are covered by the same token stored in the entry (see IsOwnEntryAsync).
        var request = new TransactWriteItemsRequest { TransactItems = items, ClientRequestToken = token };
        try
        {
            await table.CallAsync((c, ct) => c.TransactWriteItemsAsync(request, ct), key, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _mode, (int)DynamoDbCommitMode.Native);
            return new NativeOutcome(NativeOutcomeKind.Committed);
        }
        catch (TransactionCanceledException e)
        {
            Volatile.Write(ref _mode, (int)DynamoDbCommitMode.Native);
            var outcome = Classify(e, key);
            return outcome.Kind == NativeOutcomeKind.LogConflict
                ? new NativeOutcome(await IsOwnEntryAsync(revision, token, cancellationToken).ConfigureAwait(false) ? NativeOutcomeKind.Committed : NativeOutcomeKind.Retry)
                : outcome;
        }
        catch (KvException e) when (e.InnerException is AmazonServiceException { ErrorCode: "UnknownOperationException" })
        {
            if (options.CommitMode == DynamoDbCommitMode.Native)
            {
                throw new KvConfigurationException(
                    $"dynamodb at {table.Endpoint}: commitMode=native, but the endpoint does not implement TransactWriteItems (it answered UnknownOperationException). Use commitMode=auto or commitMode=log with this endpoint.",
                    e);
            }

            Volatile.Write(ref _mode, (int)DynamoDbCommitMode.Log);
            return new NativeOutcome(NativeOutcomeKind.Unsupported);
        }
    }

    // The reasons come in the order of the items: the log entry first. Its condition failing means another writer took
    // the revision, and then the data conditions were judged against a state that is no longer the head's: decide again.
    private NativeOutcome Classify(TransactionCanceledException exception, string? key)
    {
        var reasons = exception.CancellationReasons ?? [];
        if (reasons.Count > 0 && reasons[0].Code == "ConditionalCheckFailed")
        {
            return new NativeOutcome(NativeOutcomeKind.LogConflict);
        }

        if (reasons.FirstOrDefault(r => r.Code == "ConditionalCheckFailed") is { } refused)
        {
            return new NativeOutcome(NativeOutcomeKind.Refused, StoredItem.From(refused.Item));
        }

        if (reasons.Any(r => r.Code is "TransactionConflict" or "ThrottlingError" or "ProvisionedThroughputExceeded" or "RequestLimitExceeded"))
        {
            return new NativeOutcome(NativeOutcomeKind.Retry);
        }

        var codes = string.Join(", ", reasons.Select(r => r.Code).Where(c => c is not (null or "None")).Distinct());
        var tooLarge = reasons.Any(r => r.Code == "ItemCollectionSizeLimitExceeded"
            || (r.Code == "ValidationError" && r.Message?.Contains("size", StringComparison.OrdinalIgnoreCase) == true));
        throw tooLarge
            ? new KvLimitExceededException("dynamodb", table.Endpoint, key,
                $"DynamoDB cancelled the transaction ({codes}): an item or the request is larger than DynamoDB allows; nothing was written. Store smaller values or split the transaction.",
                exception)
            : new KvException("dynamodb", table.Endpoint, key, $"DynamoDB cancelled the transaction ({codes}); nothing was written.", exception);
    }
}
