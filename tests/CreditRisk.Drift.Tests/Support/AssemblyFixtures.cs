using CreditRisk.Testing.Kafka;

[assembly: AssemblyFixture(typeof(DevBrokerFixture))]
