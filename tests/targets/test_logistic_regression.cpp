// Bayesian logistic regression (targets.md §9): derivatives vs finite differences, the shipped
// breast-cancer table, the seeded split and standardisation, the energy vs a direct host sum over
// the CSV, the AF prior convention, file errors.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "TargetTestSupport.hpp"
#include "boltzflow/targets/Csv.hpp"
#include "boltzflow/targets/LogisticRegression.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

TEST_CASE("logistic regression gradient and Laplacian match finite differences", "[targets][logistic]") {
  check_derivatives(*build("name = logistic\n"), random_points(4, 32, 0.1, 0, 3));
  check_derivatives(*build("name = logistic\nlogistic_af_prior = true\n"), random_points(3, 32, 0.3, 0.2, 4));
}

TEST_CASE("logistic regression: data, split, standardisation and energy", "[targets][logistic]") {
  const auto t = build("name = logistic\n");
  const auto& blr = static_cast<const LogisticRegression&>(*t);
  REQUIRE(t->dim() == 32);
  CHECK(blr.n_rows() == 569);
  CHECK(blr.n_test() == 114);
  CHECK(blr.n_train() == 455);
  CHECK(blr.n_positive() == 357);
  const auto p = t->parameters();
  const auto& train = p.at("train_rows").values;
  const auto& test = p.at("test_rows").values;
  std::set<int> rows;
  for (double r : train) rows.insert(static_cast<int>(r));
  for (double r : test) rows.insert(static_cast<int>(r));
  CHECK(rows.size() == 569);
  CHECK(*rows.begin() == 0);
  CHECK(*rows.rbegin() == 568);
  CHECK(build("name = logistic\nseed = 1\n")->parameters().at("test_rows").values != test);

  // U at a few points from the raw table, standardised with the training rows' mean and
  // (population) standard deviation, intercept last in w, θ the last coordinate.
  const auto table = read_csv(std::string(BOLTZFLOW_SOURCE_DIR) + "/inputs/data/breast_cancer.csv", "test");
  REQUIRE(table.rows.size() == 569);
  const int F = 30, D = 31;
  std::vector<double> mean(F, 0.0), sd(F, 0.0);
  for (double r : train)
    for (int j = 0; j < F; ++j) mean[j] += table.rows[int(r)][j] / train.size();
  for (double r : train)
    for (int j = 0; j < F; ++j) sd[j] += std::pow(table.rows[int(r)][j] - mean[j], 2) / train.size();
  for (int j = 0; j < F; ++j) {
    sd[j] = std::sqrt(sd[j]);
    CHECK(p.at("feature_mean").values[j] == Approx(mean[j]).epsilon(1e-12));
    CHECK(p.at("feature_std").values[j] == Approx(sd[j]).epsilon(1e-12));
  }
  const auto x = random_points(3, 32, 0.2, 0.1, 8);
  const auto U = energies(*t, x);
  const auto U_af = energies(*build("name = logistic\nlogistic_af_prior = true\n"), x);
  for (int i = 0; i < 3; ++i) {
    double u = 0, w2 = 0;
    for (double r : train) {
      const auto& row = table.rows[int(r)];
      double z = x(i, F);  // intercept
      for (int j = 0; j < F; ++j) z += x(i, j) * (row[j] - mean[j]) / sd[j];
      u += std::log1p(std::exp(z)) - row[F] * z;
    }
    for (int j = 0; j < D; ++j) w2 += x(i, j) * x(i, j);
    const double th = x(i, D);
    u += 0.5 * std::exp(th) * w2 + 0.01 * std::exp(th) - (D / 2.0 + 1.0) * th;
    CHECK(U[i] == Approx(u).epsilon(1e-11));
    CHECK(U_af[i] - U[i] == Approx(1.0 * th).margin(1e-9));  // the AF code drops +a0 θ
  }
}

TEST_CASE("logistic regression file errors name the key and the file", "[targets][logistic]") {
  CHECK_THAT(input_error("name = logistic\nlogistic_data = /nonexistent.csv\n"),
             Catch::Contains("target.logistic_data") && Catch::Contains("/nonexistent.csv"));
  const std::string path = "/tmp/boltzflow_test_blr_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(path);
    out << "h\n1,2,0\n3,4\n";
  }
  CHECK_THAT(input_error("name = logistic\nlogistic_data = " + path + "\n"),
             Catch::Contains("target.logistic_data") && Catch::Contains(path));
  std::remove(path.c_str());
  CHECK_THAT(input_error("name = logistic\nlogistic_test_fraction = 0.95\n"), Catch::Contains("target.logistic_test_fraction"));
  CHECK_THAT(input_error("name = logistic\ndim = 10\n"), Catch::Contains("target.dim"));
}
