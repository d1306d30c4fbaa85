using CreditRisk.Testing.Kafka;

// One dev broker for the whole test assembly; each fixture serves its own model name, so their predictions stay apart.
[assembly: AssemblyFixture(typeof(DevBrokerFixture))]
