#include "intake/report.h"

#include <array>
#include <utility>

namespace sg::intake {
namespace {

// One table per enum, in declaration order: the names are the wire contract.
constexpr std::array<std::pair<Source, std::string_view>, 3> kSources{{
    {Source::kIndustry, "industry"},
    {Source::kPublic, "public"},
    {Source::kPolice, "police"},
}};
constexpr std::array<std::pair<IncidentType, std::string_view>, 6> kIncidentTypes{{
    {IncidentType::kOnlineEnticement, "online_enticement"},
    {IncidentType::kCsam, "csam"},
    {IncidentType::kSextortion, "sextortion"},
    {IncidentType::kChildSexTrafficking, "child_sex_trafficking"},
    {IncidentType::kUnsolicitedObsceneMaterial, "unsolicited_obscene_material"},
    {IncidentType::kOther, "other"},
}};
constexpr std::array<std::pair<IndustryClassification, std::string_view>, 4> kClassifications{{
    {IndustryClassification::kA1, "A1"},
    {IndustryClassification::kA2, "A2"},
    {IndustryClassification::kB1, "B1"},
    {IndustryClassification::kB2, "B2"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "?";
}

template <typename E, size_t N>
std::optional<E> FromName(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view n) {
  for (const auto& [value, name] : table) {
    if (name == n) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view SourceName(Source s) { return NameOf(kSources, s); }
std::string_view IncidentTypeName(IncidentType t) { return NameOf(kIncidentTypes, t); }
std::string_view IndustryClassificationName(IndustryClassification c) { return NameOf(kClassifications, c); }
std::optional<Source> SourceFromName(std::string_view name) { return FromName(kSources, name); }
std::optional<IncidentType> IncidentTypeFromName(std::string_view name) { return FromName(kIncidentTypes, name); }
std::optional<IndustryClassification> IndustryClassificationFromName(std::string_view name) {
  return FromName(kClassifications, name);
}

}  // namespace sg::intake
