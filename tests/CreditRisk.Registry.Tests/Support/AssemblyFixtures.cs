using CreditRisk.Testing.Kafka;

// One dev broker for the whole test assembly; each test class gets its own database.
[assembly: AssemblyFixture(typeof(DevBrokerFixture))]
