package io.satsuma.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.delivery.v1.DeliveryCompleted;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileCommand;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.contracts.profile.v1.ProfilesUnmerged;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON Schemas published for other languages describe exactly the Java records. */
class SchemasMatchRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> schemas() {
        return Stream.of(
                Arguments.of("event/v1/ingested-event.json", IngestedEvent.class),
                Arguments.of("profile/v1/profile-snapshot.json", ProfileSnapshot.class),
                Arguments.of("profile/v1/profile-event.json", ProfileEvent.class),
                Arguments.of("profile/v1/profiles-merged.json", ProfilesMerged.class),
                Arguments.of("profile/v1/profiles-unmerged.json", ProfilesUnmerged.class),
                Arguments.of("profile/v1/profile-erased.json", ProfileErased.class),
                Arguments.of("profile/v1/profile-command.json", ProfileCommand.class),
                Arguments.of("membership/v1/membership-changed.json", MembershipChanged.class),
                Arguments.of("delivery/v1/delivery-completed.json", DeliveryCompleted.class));
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void schemaPropertiesAreTheRecordComponents(String schema, Class<? extends Record> type) throws IOException {
        JsonNode root = read(schema);

        assertThat(propertyNames(root)).isEqualTo(componentNames(type));
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void everyRequiredPropertyExists(String schema, Class<? extends Record> type) throws IOException {
        JsonNode root = read(schema);
        Set<String> required = new HashSet<>();
        root.get("required").forEach(name -> required.add(name.asText()));

        assertThat(componentNames(type)).containsAll(required);
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void schemaIdNamesItsVersionedPath(String schema, Class<? extends Record> type) throws IOException {
        assertThat(read(schema).get("$id").asText()).endsWith("/schemas/" + schema);
    }

    @Test
    void nestedAggregatesMatchTheirRecord() throws IOException {
        JsonNode aggregates = read("profile/v1/profile-snapshot.json").path("properties").path("aggregates");

        assertThat(propertyNames(aggregates)).isEqualTo(componentNames(ProfileAggregates.class));
    }

    private static JsonNode read(String schema) throws IOException {
        try (InputStream in = SchemasMatchRecordsTest.class.getResourceAsStream("/schemas/" + schema)) {
            assertThat(in).as(schema).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static Set<String> propertyNames(JsonNode schema) {
        Set<String> names = new HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> componentNames(Class<? extends Record> type) {
        Set<String> names = new HashSet<>();
        Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).forEach(names::add);
        return names;
    }
}
