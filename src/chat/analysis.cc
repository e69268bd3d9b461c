#include "chat/analysis.h"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "chat/authors.h"

namespace sg::chat {
namespace {

double Round2(double v) { return std::round(v * 100) / 100; }

std::string Span(const std::string& text, uint32_t begin, uint32_t end) {
  if (begin > text.size()) begin = static_cast<uint32_t>(text.size());
  if (end > text.size()) end = static_cast<uint32_t>(text.size());
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  if (end < begin) end = begin;
  return text.substr(begin, end - begin);
}

void ComputeFeatures(const Conversation& c, const ConversationAnalysis& a, const Lexicon& lex,
                     const std::vector<AuthorAge>& ages, ConversationFeatures* f) {
  std::set<std::pair<int, size_t>> category_messages;
  std::set<int> stages;
  std::set<size_t> indicator_messages;
  for (const Indicator& ind : a.indicators) {
    const Rule& r = lex.rules[ind.rule];
    int cat = static_cast<int>(r.category);
    f->strength[cat] = std::max(f->strength[cat], r.weight);
    if (category_messages.insert({cat, ind.message}).second) ++f->messages_with[cat];
    stages.insert(static_cast<int>(r.stage));
    indicator_messages.insert(ind.message);
    if (r.stage >= Stage::kRisk &&
        (f->first_late_stage_message < 0 || static_cast<int>(ind.message) < f->first_late_stage_message)) {
      f->first_late_stage_message = static_cast<int>(ind.message);
    }
  }
  const int disclosure = static_cast<int>(Category::kAgeDisclosure);
  std::set<size_t> claim_messages;
  for (const AgeClaim& claim : a.ages) {
    f->strength[disclosure] = std::max(f->strength[disclosure], claim.mention.confidence);
    if (claim_messages.insert(claim.message).second) ++f->messages_with[disclosure];
    stages.insert(static_cast<int>(Stage::kFriendship));
  }
  f->distinct_stages = static_cast<int>(stages.size());
  f->indicator_messages = static_cast<int>(indicator_messages.size());
  std::map<std::string_view, int> by_author;
  int top = 0;
  for (size_t m : indicator_messages) top = std::max(top, ++by_author[c.messages[m].author]);
  if (!indicator_messages.empty()) f->top_initiator_share = static_cast<double>(top) / indicator_messages.size();
  int youngest_minor_high = 1000, oldest_adult_low = -1, minors = 0, adults = 0, lo = 1000, hi = -1;
  for (const AuthorAge& age : ages) {
    lo = std::min(lo, age.low);
    hi = std::max(hi, age.high);
    if (age.minor()) {
      ++minors;
      youngest_minor_high = std::min(youngest_minor_high, age.high);
    } else if (age.adult()) {
      ++adults;
      oldest_adult_low = std::max(oldest_adult_low, age.low);
    }
  }
  f->minor_present = minors > 0;
  f->adult_present = adults > 0;
  if (minors > 0 && adults > 0) f->age_gap = std::min(40, oldest_adult_low - youngest_minor_high);
  f->peers = minors >= 2 && adults == 0 && ages.size() == static_cast<size_t>(minors);
  f->both_adults = adults >= 2 && minors == 0;
  // The sender's wall clock when the importer kept it (PAN-2012 has only
  // that), else UTC.
  for (const Message& m : c.messages) {
    int minute = -1;
    if (m.minute_of_day) {
      minute = *m.minute_of_day;
    } else if (m.time) {
      auto day = std::chrono::floor<std::chrono::days>(*m.time);
      minute = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(*m.time - day).count());
    }
    if (minute < 0) continue;
    ++f->timed_messages;
    if (minute >= 23 * 60 || minute < 5 * 60) ++f->late_messages;
  }
}

}  // namespace

std::string EvidenceText(const std::string& text, uint32_t begin, uint32_t end) { return Span(text, begin, end); }

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
  std::string dir = options.data_dir.empty() ? DefaultChatDataDir() : options.data_dir;
  SG_ASSIGN_OR_RETURN(Lexicon lex, LoadLexicon(dir + "/lexicon.tsv"));
  SG_ASSIGN_OR_RETURN(Scorecard card, Scorecard::Load(dir + "/scorecard.tsv"));
  std::unique_ptr<Analyzer> a(new Analyzer());
  SG_ASSIGN_OR_RETURN(a->matcher_, IndicatorMatcher::Create(std::move(lex), options.cache_dir));
  a->card_ = std::move(card);
  return a;
}

std::unique_ptr<Analyzer::Workspace> Analyzer::TakeWorkspace() const {
  {
    std::lock_guard lock(pool_mu_);
    if (!pool_.empty()) {
      auto ws = std::move(pool_.back());
      pool_.pop_back();
      return ws;
    }
  }
  return std::make_unique<Workspace>();  // its scratch is made at its first Analyze
}

void Analyzer::GiveWorkspace(std::unique_ptr<Workspace> ws) const {
  std::lock_guard lock(pool_mu_);
  if (pool_.size() < kMaxPooled) pool_.push_back(std::move(ws));
}

Result<ConversationAnalysis> Analyzer::Analyze(const Conversation& c, Workspace& ws) const {
  if (!ws.scratch) {
    SG_ASSIGN_OR_RETURN(auto scratch, matcher_->NewScratch());
    ws.scratch = std::make_unique<IndicatorMatcher::Scratch>(std::move(scratch));
  }
  ConversationAnalysis a;
  a.conversation = c.id;
  a.source = c.source;
  a.platform = c.platform;
  a.messages = c.messages.size();
  for (const Message& m : c.messages) {
    a.bytes += m.text.size();
    if (std::find(a.authors.begin(), a.authors.end(), m.author) == a.authors.end()) a.authors.push_back(m.author);
  }
  BuildScanBuffer(c, &ws.buffer);
  ws.hits.clear();
  SG_RETURN_IF_ERROR(matcher_->Scan(ws.buffer.text, *ws.scratch, &ws.hits));
  a.ages = ExtractAgeClaims(c);
  std::vector<AuthorAge> ages = CombineAgeClaims(a.ages);
  auto age_of = [&](const std::string& author) -> const AuthorAge* {
    for (const AuthorAge& x : ages) if (x.author == author) return &x;
    return nullptr;
  };
  const Lexicon& lex = matcher_->lexicon();
  std::set<std::pair<uint32_t, size_t>> seen;
  for (const Hit& h : ws.hits) {
    size_t m = ws.buffer.MessageAt(h.from);
    if (!seen.insert({h.rule, m}).second) continue;  // one rule counts once per message
    const Rule& r = lex.rules[h.rule];
    if (r.speaker != Speaker::kAny) {
      const AuthorAge* age = age_of(c.messages[m].author);
      if (age && r.speaker == Speaker::kAdult && age->minor()) continue;
      if (age && r.speaker == Speaker::kMinor && age->adult()) continue;
    }
    Indicator ind;
    ind.rule = h.rule;
    ind.message = m;
    ind.line = c.messages[m].line;
    ws.buffer.OriginalSpan(h.from, h.to, &ind.begin, &ind.end);
    a.indicators.push_back(ind);
  }
  std::sort(a.indicators.begin(), a.indicators.end(), [](const Indicator& x, const Indicator& y) {
    return x.message != y.message ? x.message < y.message : x.rule < y.rule;
  });
  // Who raised the indicators: each author's messages with at least one.
  a.raised.assign(a.authors.size(), 0);
  size_t last_message = SIZE_MAX;
  for (const Indicator& ind : a.indicators) {
    if (ind.message == last_message) continue;
    last_message = ind.message;
    auto it = std::find(a.authors.begin(), a.authors.end(), c.messages[ind.message].author);
    ++a.raised[static_cast<size_t>(it - a.authors.begin())];
  }
  ConversationFeatures f;
  ComputeFeatures(c, a, lex, ages, &f);
  a.score = ScoreConversation(f, card_);
  return a;
}

boost::json::object ConversationJson(const ConversationAnalysis& a, const Lexicon& lex, const Conversation* reveal) {
  boost::json::object o;
  o["type"] = "conversation";
  o["conversation"] = a.conversation;
  if (!a.source.empty()) o["file"] = a.source;
  if (!a.platform.empty()) o["platform"] = a.platform;
  o["score"] = Round2(a.score.score);
  o["flagged"] = a.score.flagged;
  boost::json::array authors;
  for (const auto& x : a.authors) authors.emplace_back(x);
  o["authors"] = std::move(authors);
  o["messages"] = a.messages;
  boost::json::array inds;
  for (const Indicator& ind : a.indicators) {
    const Rule& r = lex.rules[ind.rule];
    boost::json::object i{{"category", CategoryName(r.category)}, {"line", ind.line}, {"rule", r.id}};
    if (reveal) i["text"] = Span(reveal->messages[ind.message].text, ind.begin, ind.end);
    inds.push_back(std::move(i));
  }
  o["indicators"] = std::move(inds);
  std::vector<AuthorAge> combined = CombineAgeClaims(a.ages);
  boost::json::array ages;
  for (const AgeClaim& c : a.ages) {
    boost::json::object x{{"author", c.author},        {"low", c.mention.low},
                          {"high", c.mention.high},    {"confidence", Round2(c.mention.confidence)},
                          {"line", c.line},            {"form", AgeFormName(c.mention.form)}};
    for (const AuthorAge& aa : combined) {
      if (aa.author == c.author && aa.conflicting) x["conflicting"] = true;
    }
    if (reveal) x["text"] = Span(reveal->messages[c.message].text, c.mention.begin, c.mention.end);
    ages.push_back(std::move(x));
  }
  o["ages"] = std::move(ages);
  boost::json::array terms;
  for (const Term& t : a.score.terms) {
    terms.push_back(boost::json::object{
        {"term", t.name}, {"value", Round2(t.value)}, {"contribution", Round2(t.contribution)}});
  }
  o["terms"] = std::move(terms);
  return o;
}

Result<boost::json::object> AnalyzeConversations(const std::vector<Conversation>& conversations,
                                                 const Analyzer& analyzer, bool reveal) {
  std::unique_ptr<Analyzer::Workspace> ws = analyzer.TakeWorkspace();
  AuthorAggregator authors;
  boost::json::array convs;
  for (const Conversation& c : conversations) {
    SG_ASSIGN_OR_RETURN(ConversationAnalysis a, analyzer.Analyze(c, *ws));
    convs.push_back(ConversationJson(a, analyzer.lexicon(), reveal ? &c : nullptr));
    authors.Add(c, a);
  }
  analyzer.GiveWorkspace(std::move(ws));
  boost::json::array people;
  for (const AuthorResult& r : authors.Finish(analyzer.scorecard())) people.push_back(AuthorJson(r));
  boost::json::object out;
  out["conversations"] = std::move(convs);
  out["authors"] = std::move(people);
  out["lexicon_version"] = analyzer.lexicon().version;
  out["scorecard_version"] = analyzer.scorecard().version();
  return out;
}

}  // namespace sg::chat
