package io.satsuma.predictive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published fits on the CDNOW 1/10 sample (2,357 customers who first bought in the first quarter of 1997), with
 * the papers' set-up: the first 39 weeks of 1997 as the calibration period (to 1997-09-30), purchases on the same
 * day merged, time in weeks. Estimates to the printed precision.
 */
class CdnowPublishedResultsTest {
    static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    private static List<Customer> calibration;

    @BeforeAll
    static void readSample() throws IOException {
        calibration = new ArrayList<>();
        for (List<Purchases.Purchase> purchases : purchasesByCustomer().values()) {
            Customer customer = Purchases.summarise(purchases, CALIBRATION_END, 7);
            if (customer != null) {
                calibration.add(customer);
            }
        }
    }

    static Map<String, List<Purchases.Purchase>> purchasesByCustomer() throws IOException {
        Path file = Path.of(System.getProperty("satsuma.root", ".."), "../shared/data/CDNOW_sample.txt.gz");
        Map<String, List<Purchases.Purchase>> byCustomer = new LinkedHashMap<>();
        DateTimeFormatter day = DateTimeFormatter.BASIC_ISO_DATE;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.trim().split("\\s+");
                byCustomer.computeIfAbsent(f[1], k -> new ArrayList<>())
                        .add(new Purchases.Purchase(LocalDate.parse(f[2], day), Double.parseDouble(f[4])));
            }
        }
        return byCustomer;
    }

    @Test
    void theSampleHasThePapersCustomersAndRepeatBuyers() {
        assertThat(calibration).hasSize(2357);
        assertThat(calibration.stream().filter(c -> c.x() > 0).count()).isEqualTo(946);
    }

    @Test
    void bgNbdReproducesFaderHardieLee2005() {
        BgNbd.Fit fit = BgNbd.fit(calibration);
        System.out.printf("CDNOW BG/NBD: r=%.5f alpha=%.5f a=%.5f b=%.5f LL=%.3f (%d evaluations)%n", fit.model().r(),
                fit.model().alpha(), fit.model().a(), fit.model().b(), fit.logLikelihood(), fit.evaluations());
        assertThat(fit.model().r()).isCloseTo(0.243, within(0.0005));
        assertThat(fit.model().alpha()).isCloseTo(4.414, within(0.0005));
        assertThat(fit.model().a()).isCloseTo(0.793, within(0.0005));
        assertThat(fit.model().b()).isCloseTo(2.426, within(0.0005));
        assertThat(fit.logLikelihood()).isCloseTo(-9582.4, within(0.05));
    }

    @Test
    void aFitWithTooLittleDataIsRefusedWithTheReason() {
        List<Customer> fewRepeaters = calibration.stream().filter(c -> c.x() == 0).limit(500).toList();
        assertThatThrownBy(() -> BgNbd.fit(fewRepeaters)).isInstanceOf(TooLittleData.class)
                .hasMessageContaining("500, 0 of them");
        assertThatThrownBy(() -> BgNbd.fit(calibration.subList(0, 50))).isInstanceOf(TooLittleData.class)
                .hasMessageContaining("at least 100 customers");
        assertThatThrownBy(() -> GammaGamma.fit(fewRepeaters)).isInstanceOf(TooLittleData.class)
                .hasMessageContaining("there are 0");
    }

    @Test
    void gammaGammaReproducesFaderHardie2013() {
        GammaGamma.Fit fit = GammaGamma.fit(calibration);
        System.out.printf("CDNOW Gamma-Gamma: p=%.4f q=%.4f gamma=%.4f LL=%.3f on %d customers%n", fit.model().p(),
                fit.model().q(), fit.model().gamma(), fit.logLikelihood(), fit.customers());
        assertThat(fit.customers()).isEqualTo(946);
        assertThat(fit.model().p()).isCloseTo(6.25, within(0.005));
        assertThat(fit.model().q()).isCloseTo(3.74, within(0.005));
        assertThat(fit.model().gamma()).isCloseTo(15.44, within(0.005));
    }
}
