package io.satsuma.support.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.satsuma.contracts.delivery.v1.DeliveryCompleted;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.contracts.model.v1.ModelsFitted;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileCommand;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.contracts.profile.v1.ProfilesUnmerged;

/**
 * The records of the Kafka contracts, which every service writes and reads with Jackson outside REST, where
 * Quarkus does not see them: a native image keeps their constructors and accessors only when they are registered
 * (nested records with them). {@code ContractTypesTest} fails when a contract record is missing here.
 */
@RegisterForReflection(targets = {DeliveryCompleted.class, IngestedEvent.class, MembershipChanged.class,
        ModelsFitted.class, Identifier.class, ProfileAggregates.class, ProfileCommand.class, ProfileErased.class,
        ProfileEvent.class, ProfileSnapshot.class, ProfilesMerged.class, ProfilesUnmerged.class})
public final class ContractTypes {
    private ContractTypes() {
    }
}
