namespace Valkeyrie.DynamoDB;

/// <summary>How a <see cref="DynamoDbKvStore"/> commits writes (see docs/backends/dynamodb.md, "Writes and transactions").</summary>
public enum DynamoDbCommitMode
{
    /// <summary>
    /// <see cref="Native"/> when the endpoint implements <c>TransactWriteItems</c> (AWS, DynamoDB Local, LocalStack, moto), else
    /// <see cref="Log"/> (dynalite). Found out once per store, by the first write, from the endpoint's answer.
    /// </summary>
    Auto,

    /// <summary>Every write is one <c>TransactWriteItems</c> call: the change-log entry and the data items together. Fails with a <see cref="KvConfigurationException"/> on an endpoint without it.</summary>
    Native,

    /// <summary>Every write is a conditional <c>PutItem</c> of the change-log entry, then one write per data item, then a done mark: only single-item writes are needed.</summary>
    Log,
}
