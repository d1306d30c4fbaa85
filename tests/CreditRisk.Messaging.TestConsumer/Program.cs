using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.TestConsumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

// Configuration: Kafka__BootstrapServers, ConnectionStrings__Postgres, Subscription__Topic,
// Subscription__GroupId, Subscription__CommitIntervalMs.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("Postgres")
    ?? throw new InvalidOperationException("ConnectionStrings__Postgres is required")));
builder.AddKafkaEventBus(kafka => kafka.ProvisionTopics = false)
    .AddSubscription<TransactionRecorded, IdempotentTransactionHandler>(subscription =>
    {
        subscription.Topic = builder.Configuration["Subscription:Topic"];
        subscription.GroupId = builder.Configuration["Subscription:GroupId"];
        subscription.AutoCommitIntervalMs = builder.Configuration.GetValue("Subscription:CommitIntervalMs", 1_000);
    });
builder.Build().Run();
